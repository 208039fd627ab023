package io.fastsession.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A Redis Cluster owned by one test: three masters and three replicas on free loopback
 * ports (each with its bus port chosen too), with a short {@code cluster-node-timeout} so
 * that a failover takes seconds. The test may kill a master (SIGKILL, as a crash); every
 * node is stopped by its process handle on {@link #close()}, so the shared cluster of
 * {@code .ci/services} is never touched.
 */
public final class RedisClusterProcess implements AutoCloseable {

	private final Path directory;

	private final Duration nodeTimeout;

	private final Map<Integer, Process> nodes = new LinkedHashMap<>();

	private RedisClusterProcess(Path directory, Duration nodeTimeout) {
		this.directory = directory;
		this.nodeTimeout = nodeTimeout;
	}

	/**
	 * Start six nodes and join them into a cluster of three masters, each with one
	 * replica.
	 * @param nodeTimeout the {@code cluster-node-timeout}: how long a master may be
	 * unreachable before it is failed over
	 * @param options further {@code redis-server} options for every node, such as
	 * {@code --cluster-require-full-coverage no}
	 * @return the running cluster, every slot covered and every node agreeing
	 */
	public static RedisClusterProcess start(Duration nodeTimeout, String... options) throws IOException {
		RedisClusterProcess cluster = new RedisClusterProcess(Files.createTempDirectory("fastsession-redis-cluster"),
				nodeTimeout);
		try {
			cluster.startNodes(List.of(options));
			cluster.create();
			return cluster;
		}
		catch (IOException | RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	private void startNodes(List<String> options) throws IOException {
		for (int i = 0; i < 6; i++) {
			int port = freePort();
			int busPort = freePort();
			Path dir = Files.createDirectories(this.directory.resolve(Integer.toString(port)));
			List<String> command = new ArrayList<>(List.of(TestServers.redisServerBinary(), "--port",
					Integer.toString(port), "--cluster-port", Integer.toString(busPort), "--bind", "127.0.0.1",
					"--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString(),
					"--cluster-node-timeout", Long.toString(this.nodeTimeout.toMillis()), "--save", "", "--appendonly",
					"no", "--dir", dir.toString()));
			command.addAll(options);
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(logFile(port).toFile())
				.start();
			this.nodes.put(port, process);
		}
		for (Map.Entry<Integer, Process> node : this.nodes.entrySet()) {
			Awaitility.await("cluster node on port " + node.getKey())
				.atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(50))
				.ignoreExceptions()
				.until(() -> {
					if (!node.getValue().isAlive()) {
						throw new IllegalStateException("redis-server exited: " + log(node.getKey()));
					}
					return command(node.getKey(), "PING").startsWith("+PONG");
				});
		}
	}

	private void create() throws IOException {
		List<String> command = new ArrayList<>(List.of(redisCli(), "--cluster", "create"));
		command.addAll(getNodes());
		command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
		Path log = this.directory.resolve("create.log");
		Process create = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
				create.destroyForcibly();
				throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(log));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		awaitReady(Duration.ofSeconds(30));
	}

	/**
	 * Wait until every node reports {@code cluster_state:ok} and knows a master for each
	 * of the 16384 slots, and every replica has finished its first synchronization with
	 * its master. Slot coverage alone is not enough: until its first sync Redis counts a
	 * replica as "disconnected from its master since forever", and the replica refuses to
	 * stand for election if the master fails (the {@code cluster-replica-validity-factor}
	 * check), so a master killed in that window is never failed over. Redis 7 delays that
	 * sync by {@code repl-diskless-sync-delay}, 5 s by default.
	 * @param atMost how long to wait
	 */
	private void awaitReady(Duration atMost) {
		Awaitility.await("cluster state ok on every node, every replica synchronized")
			.atMost(atMost)
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> {
				for (int port : livePorts()) {
					String info = command(port, "CLUSTER INFO");
					if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:16384")) {
						return false;
					}
				}
				List<String[]> replicas = clusterNodes().stream()
					.filter((fields) -> fields[2].contains("slave"))
					.toList();
				if (replicas.size() != this.nodes.size() / 2) {
					return false;
				}
				for (String[] replica : replicas) {
					if (!command(port(replica[1]), "INFO replication").contains("master_link_status:up")) {
						return false;
					}
				}
				return true;
			});
	}

	/**
	 * Describe the cluster for a failure message: every live node's view of the cluster
	 * and the last lines of each node's log, where Redis says why a replica could not
	 * fail over.
	 * @return the description
	 */
	public String describe() {
		StringBuilder description = new StringBuilder();
		for (int port : this.nodes.keySet()) {
			description.append("--- node ").append(port);
			if (this.nodes.get(port).isAlive()) {
				try {
					description.append(" (alive), CLUSTER NODES:\n").append(command(port, "CLUSTER NODES"));
				}
				catch (IOException ex) {
					description.append(" (alive, no answer: ").append(ex).append(")\n");
				}
			}
			else {
				description.append(" (dead)\n");
			}
			List<String> lines = log(port).lines().toList();
			description.append("log tail:\n")
				.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())))
				.append('\n');
		}
		return description.toString();
	}

	/**
	 * Copy every node's log to a directory that outlives the cluster, for the reports of
	 * a test.
	 * @param target the directory
	 */
	public void copyLogsTo(Path target) throws IOException {
		Files.createDirectories(target);
		for (int port : this.nodes.keySet()) {
			Path log = logFile(port);
			if (Files.exists(log)) {
				Files.copy(log, target.resolve("redis-" + port + ".log"), StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	/**
	 * Return every node as {@code 127.0.0.1:port}, for
	 * {@code spring.data.redis.cluster.nodes}.
	 * @return the nodes, dead ones included
	 */
	public List<String> getNodes() {
		return this.nodes.keySet().stream().map((port) -> "127.0.0.1:" + port).toList();
	}

	/**
	 * Return the masters as seen by a live node, with the slot ranges each serves.
	 * @return port of each master to its slot ranges ({@code [from, to]}, inclusive)
	 */
	public Map<Integer, List<int[]>> masters() throws IOException {
		Map<Integer, List<int[]>> masters = new LinkedHashMap<>();
		for (String[] fields : clusterNodes()) {
			if (!fields[2].contains("master") || fields[2].contains("fail")) {
				continue;
			}
			int port = port(fields[1]);
			List<int[]> ranges = new ArrayList<>();
			for (int i = 8; i < fields.length; i++) {
				if (fields[i].startsWith("[")) {
					continue; // a slot being migrated
				}
				String[] range = fields[i].split("-");
				int from = Integer.parseInt(range[0]);
				ranges.add(new int[] { from, (range.length > 1) ? Integer.parseInt(range[1]) : from });
			}
			if (!ranges.isEmpty()) {
				masters.put(port, ranges);
			}
		}
		return masters;
	}

	/**
	 * The nodes as a live node sees them: one {@code CLUSTER NODES} line each, split into
	 * its fields (id, address, flags, master, ping, pong, epoch, link, slots...).
	 */
	private List<String[]> clusterNodes() throws IOException {
		List<String[]> nodes = new ArrayList<>();
		for (String line : command(livePorts().get(0), "CLUSTER NODES").split("\n")) {
			String[] fields = line.strip().split(" ");
			if (fields.length >= 8) {
				nodes.add(fields);
			}
		}
		return nodes;
	}

	private static int port(String address) {
		return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
	}

	/**
	 * Kill a node with SIGKILL: no shutdown, no last replication, like a crash.
	 * @param port the node's port
	 */
	public void kill(int port) {
		Process process = this.nodes.get(port);
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Send one command in the inline protocol to a node and return the raw reply.
	 * @param port the node's port
	 * @param command the command
	 * @return the reply as text
	 */
	public static String command(int port, String command) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[65536];
			StringBuilder reply = new StringBuilder();
			int read;
			while ((read = in.read(buffer)) > 0) {
				reply.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
				if (isComplete(reply.toString())) {
					break;
				}
			}
			return reply.toString();
		}
	}

	private static boolean isComplete(String reply) {
		if (reply.startsWith("$")) {
			int header = reply.indexOf("\r\n");
			if (header < 0) {
				return false;
			}
			int length = Integer.parseInt(reply.substring(1, header));
			return length < 0 || reply.getBytes(StandardCharsets.UTF_8).length >= header + 2 + length + 2;
		}
		return reply.endsWith("\r\n");
	}

	private List<Integer> livePorts() {
		return this.nodes.entrySet()
			.stream()
			.filter((node) -> node.getValue().isAlive())
			.map(Map.Entry::getKey)
			.toList();
	}

	private Path logFile(int port) {
		return this.directory.resolve(Integer.toString(port)).resolve("redis.log");
	}

	private String log(int port) {
		try {
			return Files.readString(logFile(port));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	@Override
	public void close() {
		for (Process process : this.nodes.values()) {
			process.destroy();
		}
		for (Process process : this.nodes.values()) {
			try {
				if (!process.waitFor(10, TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		TempPaths.delete(this.directory);
	}

	private static String redisCli() {
		String server = TestServers.redisServerBinary();
		int slash = server.lastIndexOf('/');
		return (slash >= 0) ? server.substring(0, slash + 1) + "redis-cli" : "redis-cli";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
