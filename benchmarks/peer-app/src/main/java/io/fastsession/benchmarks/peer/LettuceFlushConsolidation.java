package io.fastsession.benchmarks.peer;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An experiment, off unless {@code bench.lettuce-flush-consolidation=true}: Lettuce's
 * channels get Netty's {@link FlushConsolidationHandler}, so that commands written from
 * other threads in the same turn of Lettuce's event loop leave in one system call. On
 * fastsession's redis provider its auto-configuration does this by default
 * ({@code fastsession.redis.consolidate-flushes}); this flag gives the same handler to
 * the setups it does not reach (Spring Session), to measure what it does for them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bench.lettuce-flush-consolidation", havingValue = "true")
class LettuceFlushConsolidation {

	@Bean
	ClientResourcesBuilderCustomizer consolidateLettuceFlushes() {
		return (builder) -> builder.nettyCustomizer(new NettyCustomizer() {

			@Override
			public void afterChannelInitialized(Channel channel) {
				channel.pipeline().addFirst(new FlushConsolidationHandler(256, true));
			}

		});
	}

}
