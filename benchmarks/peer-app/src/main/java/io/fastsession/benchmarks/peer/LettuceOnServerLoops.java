package io.fastsession.benchmarks.peer;

import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import reactor.netty.http.HttpResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * An experiment, off unless {@code bench.lettuce-on-server-loops=true}: Lettuce's
 * connections run on the HTTP server's event loops instead of threads of their own, so
 * that a command issued on the loop that owns the connection needs no hand-over, and the
 * application has two threads fewer. Never shut down by Lettuce: the server owns the
 * loops.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bench.lettuce-on-server-loops", havingValue = "true")
class LettuceOnServerLoops {

	@Bean
	ClientResourcesBuilderCustomizer serverLoopsForLettuce(ObjectProvider<ReactorResourceFactory> resourceFactory) {
		return (builder) -> {
			ReactorResourceFactory factory = resourceFactory.getIfAvailable();
			EventLoopGroup loops = ((factory != null) ? factory.getLoopResources() : HttpResources.get())
				.onServer(true);
			builder.eventLoopGroupProvider(new ServerLoops(loops));
		};
	}

	private static final class ServerLoops implements EventLoopGroupProvider {

		private final EventLoopGroup loops;

		ServerLoops(EventLoopGroup loops) {
			this.loops = loops;
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T extends EventLoopGroup> T allocate(Class<T> type) {
			return (T) this.loops;
		}

		@Override
		public int threadPoolSize() {
			int size = 0;
			for (EventExecutor ignored : this.loops) {
				size++;
			}
			return size;
		}

		@Override
		public Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
			return ImmediateEventExecutor.INSTANCE.newSucceededFuture(Boolean.TRUE);
		}

		@Override
		public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
			return ImmediateEventExecutor.INSTANCE.newSucceededFuture(Boolean.TRUE);
		}

	}

}
