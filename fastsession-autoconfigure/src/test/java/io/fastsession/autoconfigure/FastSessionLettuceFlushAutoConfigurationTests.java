package io.fastsession.autoconfigure;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.RedisServerProcess;
import io.fastsession.testing.TestCertificate;
import io.fastsession.testing.TestServers;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flush consolidation that the redis provider puts on the channels of the Lettuce
 * client Spring Boot builds: where it is put, what it does to a channel's flushes, and
 * that Redis answers every command through it when many threads send at once.
 */
class FastSessionLettuceFlushAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, FastSessionLettuceFlushAutoConfiguration.class))
		.withPropertyValues("fastsession.provider=redis", "spring.data.redis.url=redis://127.0.0.1:6379");

	@Test
	void redisProviderPutsTheHandlerNextToTheSocketOfEveryChannel() {
		this.runner.run((context) -> {
			EmbeddedChannel channel = channelOf(context.getBean(ClientResources.class));
			assertThat(channel.pipeline().first()).isInstanceOf(FlushConsolidationHandler.class);
			channel.finishAndReleaseAll();
		});
	}

	@Test
	void commandsWrittenFromOtherThreadsInOneTurnOfTheEventLoopLeaveInOneFlushInTheirOrder() {
		this.runner.run((context) -> {
			ClientResources resources = context.getBean(ClientResources.class);
			EventLoopGroup serverLoop = new DefaultEventLoopGroup(1);
			EventLoopGroup clientLoop = new DefaultEventLoopGroup(1);
			StringBuffer received = new StringBuffer();
			FlushCounter socket = new FlushCounter();
			try {
				LocalAddress address = new LocalAddress(UUID.randomUUID().toString());
				new ServerBootstrap().group(serverLoop)
					.channel(LocalServerChannel.class)
					.childHandler(new ChannelInboundHandlerAdapter() {

						@Override
						public void channelRead(ChannelHandlerContext ctx, Object msg) {
							received.append(text((ByteBuf) msg));
						}

					})
					.bind(address)
					.sync();
				Channel channel = new Bootstrap().group(clientLoop)
					.channel(LocalChannel.class)
					.handler(new ChannelInitializer<Channel>() {

						@Override
						protected void initChannel(Channel channel) {
							resources.nettyCustomizer().afterChannelInitialized(channel);
							channel.pipeline().addFirst(socket);
						}

					})
					.connect(address)
					.sync()
					.channel();
				// Lettuce's event loop is busy while two request threads send a command
				// each, as under load.
				CountDownLatch busy = new CountDownLatch(1);
				channel.eventLoop().execute(() -> awaitQuietly(busy));
				channel.writeAndFlush(ascii("PING\r\n"));
				channel.writeAndFlush(ascii("GET a\r\n"));
				busy.countDown();
				Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> received.length() == 13);
				assertThat(received.toString()).isEqualTo("PING\r\nGET a\r\n");
				assertThat(socket.flushes).hasValue(1);
				channel.close().sync();
			}
			finally {
				clientLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
				serverLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
			}
		});
	}

	@Test
	void turnedOffByItsProperty() {
		this.runner.withPropertyValues("fastsession.redis.consolidate-flushes=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ClientResourcesBuilderCustomizer.class);
			assertHasNoHandler(context.getBean(ClientResources.class));
		});
	}

	@Test
	void otherProvidersDoNotTouchLettuce() {
		this.runner.withPropertyValues("fastsession.provider=memory").run((context) -> {
			assertThat(context).doesNotHaveBean(ClientResourcesBuilderCustomizer.class);
			assertHasNoHandler(context.getBean(ClientResources.class));
		});
	}

	@Test
	void theApplicationsOwnNettyCustomizerHasTheLastWord() {
		AtomicInteger applicationsChannels = new AtomicInteger();
		this.runner.withBean(ClientResourcesBuilderCustomizer.class,
				() -> (builder) -> builder.nettyCustomizer(new NettyCustomizer() {

					@Override
					public void afterChannelInitialized(Channel channel) {
						applicationsChannels.incrementAndGet();
					}

				}))
			.run((context) -> {
				assertHasNoHandler(context.getBean(ClientResources.class));
				assertThat(applicationsChannels).hasValue(1);
			});
	}

	@Test
	@NeedsServer
	void redisAnswersEveryCommandWhenManyThreadsSendAtOnce() {
		this.runner.withPropertyValues("spring.data.redis.url=" + TestServers.redisUrl())
			.run((context) -> assertEveryCommandAnswered(context.getBean(ReactiveRedisConnectionFactory.class),
					"fastsession-flush-test:"));
	}

	@Test
	@NeedsServer
	void redisOverTlsAnswersEveryCommandThroughTheHandler() throws Exception {
		// The handler sits next to the socket, below Lettuce's SslHandler: the TLS
		// handshake's records and the encrypted commands go through it.
		try (TestCertificate certificate = TestCertificate.create();
				RedisServerProcess server = RedisServerProcess.startWithTls(certificate.certificate(),
						certificate.privateKey())) {
			this.runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
				.withPropertyValues("spring.data.redis.url=rediss://127.0.0.1:" + server.getTlsPort(),
						"spring.data.redis.ssl.bundle=test-redis",
						"spring.ssl.bundle.pem.test-redis.truststore.certificate=file:" + certificate.certificate())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertEveryCommandAnswered(context.getBean(ReactiveRedisConnectionFactory.class),
							"fastsession-flush-tls-test:");
					assertThat(server.command("CLIENT LIST")).contains("laddr=127.0.0.1:" + server.getTlsPort());
				});
		}
	}

	/**
	 * 400 SET and GET pairs sent by 8 threads at once on one connection, each answered
	 * with its own value, then deleted.
	 */
	private static void assertEveryCommandAnswered(ReactiveRedisConnectionFactory factory, String keyPrefix)
			throws Exception {
		String prefix = keyPrefix + UUID.randomUUID() + ":";
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try (ReactiveRedisConnection connection = factory.getReactiveConnection()) {
			List<CompletableFuture<String>> answers = new ArrayList<>();
			for (int i = 0; i < 400; i++) {
				String key = prefix + i;
				String value = "value-" + i;
				answers.add(CompletableFuture.supplyAsync(() -> {
					connection.stringCommands().set(bytes(key), bytes(value)).block(Duration.ofSeconds(5));
					return utf8(connection.stringCommands().get(bytes(key)).block(Duration.ofSeconds(5)));
				}, threads));
			}
			for (int i = 0; i < answers.size(); i++) {
				assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("value-" + i);
			}
			List<ByteBuffer> keys = new ArrayList<>();
			for (int i = 0; i < answers.size(); i++) {
				keys.add(bytes(prefix + i));
			}
			assertThat(connection.keyCommands().mDel(keys).block(Duration.ofSeconds(5))).isEqualTo(400L);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static void assertHasNoHandler(ClientResources resources) {
		EmbeddedChannel channel = channelOf(resources);
		assertThat(channel.pipeline().get(FlushConsolidationHandler.class)).isNull();
		channel.finishAndReleaseAll();
	}

	/** A channel as Lettuce's customizer leaves it once Lettuce has set it up. */
	private static EmbeddedChannel channelOf(ClientResources resources) {
		EmbeddedChannel channel = new EmbeddedChannel();
		resources.nettyCustomizer().afterChannelInitialized(channel);
		return channel;
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
	}

	private static String text(ByteBuf buffer) {
		try {
			return buffer.toString(StandardCharsets.US_ASCII);
		}
		finally {
			buffer.release();
		}
	}

	private static ByteBuffer bytes(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String utf8(ByteBuffer buffer) {
		return StandardCharsets.UTF_8.decode(buffer).toString();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Counts the flushes that reach the socket. */
	private static final class FlushCounter extends ChannelOutboundHandlerAdapter {

		private final AtomicInteger flushes = new AtomicInteger();

		@Override
		public void flush(ChannelHandlerContext ctx) {
			this.flushes.incrementAndGet();
			ctx.flush();
		}

	}

}
