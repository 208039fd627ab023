package io.fastsession.autoconfigure;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Fewer system calls per Redis command for the redis provider: every channel of the
 * Lettuce client that Spring Boot builds gets Netty's {@link FlushConsolidationHandler}.
 * <p>
 * Why: the session store's commands are issued on the HTTP server's event loops and
 * written on Lettuce's. Each write comes with a flush, so without the handler every
 * command leaves in a system call of its own and reaches Redis in a packet of its own,
 * which Redis reads with a system call of its own. With it, the commands written in one
 * turn of Lettuce's event loop leave together, and the flushes asked for while a response
 * is read wait for the end of that read. Nothing else changes: the same bytes in the same
 * order, every command flushed before the event loop waits again.
 * <p>
 * It applies to the application's whole Redis client (Lettuce's client resources are
 * shared), and only when Boot builds them. It is turned off by
 * {@code fastsession.redis.consolidate-flushes=false}. It runs before the application's
 * own {@link ClientResourcesBuilderCustomizer}s: one that sets its own
 * {@link NettyCustomizer} replaces this one.
 *
 * @author fastsession authors
 */
@AutoConfiguration(beforeName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ ClientResourcesBuilderCustomizer.class, NettyCustomizer.class, FlushConsolidationHandler.class })
@ConditionalOnSessionProvider(FastSessionProperties.Provider.REDIS)
@ConditionalOnBooleanProperty(name = "fastsession.redis.consolidate-flushes", matchIfMissing = true)
public final class FastSessionLettuceFlushAutoConfiguration {

	@Bean
	static ClientResourcesBuilderCustomizer fastSessionLettuceFlushConsolidation() {
		return new ConsolidateFlushes();
	}

	/**
	 * Sets the {@link NettyCustomizer} that adds the handler to each new channel, the
	 * channels of reconnections and of a cluster's nodes included.
	 */
	static final class ConsolidateFlushes implements ClientResourcesBuilderCustomizer, Ordered {

		@Override
		public void customize(ClientResources.Builder builder) {
			builder.nettyCustomizer(new FlushConsolidation());
		}

		/**
		 * First, so that the application's own customizers have the last word.
		 */
		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	/**
	 * Puts the handler at the head of the pipeline, next to the socket, where it sees
	 * every read and every flush (an {@code SslHandler}'s included).
	 */
	static final class FlushConsolidation implements NettyCustomizer {

		/**
		 * Netty's default: a channel flushes at once after this many flushes in one read,
		 * however long the read lasts.
		 */
		static final int MOST_FLUSHES_HELD = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

		@Override
		public void afterChannelInitialized(Channel channel) {
			channel.pipeline().addFirst(new FlushConsolidationHandler(MOST_FLUSHES_HELD, true));
		}

	}

}
