package ovpnagent.openvpn.mgmt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import ovpnagent.config.AuthPolicy;
import ovpnagent.config.InstanceConfig;
import ovpnagent.metrics.Metrics;
import ovpnagent.store.H2Store;
import ovpnagent.util.Cidr;

/**
 * CONNECT-to-client-auth latency for {@code make bench} (issue 3 "Figures"), not a test: the fake
 * management server writes N {@code >CLIENT:CONNECT} blocks (default 1,000) in one burst to a
 * routed instance and answers each {@code client-auth} with SUCCESS (replies to the lines already
 * received are written together, as OpenVPN's event loop does); the latency of a client is from the
 * burst's write to the arrival of its {@code END}. Prints median and p99 in ms.
 *
 * <p>The agent side is the production path: routed addresses come from a {@link ovpnagent.routed.RoutedAllocator}
 * backed by the H2 store (a file in a temporary directory, commit before answer), so every
 * measured client is a first-time client whose address is written before it is pushed.
 *
 * <p>Usage: {@code AuthLatencyBench [clients] [tcp|unix] [warmup-bursts] [measured-bursts]}, with
 * {@code -Dbench.pauseMs} of quiet before each burst. Every burst uses new CIDs and names. The first burst is reported as "cold" (the JVM's first
 * run of this code); warm-up bursts (default 1, the cold one included) are not counted; the
 * latencies of all measured bursts (default 1) are pooled for the median and p99, and each burst's
 * own figures are printed too.
 */
public final class AuthLatencyBench {
  private AuthLatencyBench() {}

  /**
   * Quiet time before each burst (ms): each burst meets an idle agent, as a mass reconnect would,
   * rather than the tail of the previous burst's writes.
   */
  private static final long PAUSE_MS = Long.getLong("bench.pauseMs", 0);

  /** Runs the measurement and prints one summary line per figure. */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmups = Math.max(1, args.length > 2 ? Integer.parseInt(args[2]) : 1);
    int rounds = Math.max(1, args.length > 3 ? Integer.parseInt(args[3]) : 1);
    FakeManagementServer.Kind kind =
        args.length > 1 && args[1].equalsIgnoreCase("unix")
            ? FakeManagementServer.Kind.UNIX
            : FakeManagementServer.Kind.TCP;
    Path dir = Files.createTempDirectory("mgmt-bench");
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    Metrics metrics = new Metrics();
    try (H2Store store = H2Store.open(System.getProperty("bench.store", "jdbc:h2:file:" + dir.resolve("agent-store")));
        FakeManagementServer server =
            new FakeManagementServer(kind, dir, Duration.ofSeconds(30))) {
      InstanceConfig cfg =
          new InstanceConfig(
              dir.resolve("server.conf"),
              "bench",
              Cidr.parse("198.18.0.0/16"),
              List.of("push \"route 198.19.200.0 255.255.255.0\""),
              AuthPolicy.allowAll(),
              null,
              Duration.ofMinutes(10));
      InstanceManagementService service =
          new InstanceManagementService(
              cfg,
              ManagementEndpoint.tcp("127.0.0.1", 1, null),
              server.transport(),
              "subnet",
              false,
              store.routed(),
              metrics,
              Clock.systemUTC(),
              scheduler,
              ManagementClient.Options.defaults());
      try {
        Thread starter = new Thread(service::start);
        starter.start();
        server.play("bench_start.txt");
        starter.join(10_000);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!service.client().isConnected()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("client did not finish its handshake");
          }
          Thread.sleep(5);
        }
        FakeManagementServer.Conn conn = server.current();
        server.stopRecording();
        long[] pooled = new long[n * rounds];
        long[] burstP99 = new long[rounds];
        long[] burstMedian = new long[rounds];
        for (int round = 0; round < warmups + rounds; round++) {
          if (round == warmups) {
            waitForAgent(service, (long) n * warmups);
            service.authLatency().reset();
          }
          Thread.sleep(PAUSE_MS);
          long[] sorted = burst(conn, n, round * n);
          if (round >= warmups) {
            System.arraycopy(sorted, 0, pooled, (round - warmups) * n, n);
            burstP99[round - warmups] = pct(sorted, 0.99);
            burstMedian[round - warmups] = pct(sorted, 0.5);
          }
          print(
              round == 0 ? "cold" : round < warmups ? "warmup" : "measured-burst",
              n,
              kind,
              sorted);
        }
        Arrays.sort(pooled);
        print("measured(" + rounds + " bursts pooled)", n * rounds, kind, pooled);
        Arrays.sort(burstP99);
        Arrays.sort(burstMedian);
        System.out.printf(
            Locale.ROOT,
            "mgmt.bench per-burst figures over %d measured bursts of %d: median of medians_ms=%.2f"
                + " median of p99s_ms=%.2f best p99_ms=%.2f worst p99_ms=%.2f%n",
            rounds,
            n,
            pct(burstMedian, 0.5) / 1e6,
            pct(burstP99, 0.5) / 1e6,
            burstP99[0] / 1e6,
            burstP99[rounds - 1] / 1e6);
        waitForAgent(service, (long) n * rounds);
        System.out.printf(
            Locale.ROOT,
            "mgmt.bench measured connect_to_auth (agent view, block parsed -> SUCCESS read):"
                + " median_ms=%.2f p99_ms=%.2f allowed=%d denied=%d%n",
            service.authLatency().percentile(0.5) / 1e6,
            service.authLatency().percentile(0.99) / 1e6,
            metrics.get("mgmt.auth.allowed"),
            metrics.get("mgmt.auth.denied"));
      } finally {
        service.close();
      }
    } finally {
      scheduler.shutdownNow();
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static void print(
      String what, int n, FakeManagementServer.Kind kind, long[] sorted) {
    System.out.printf(
        Locale.ROOT,
        "mgmt.bench %s clients=%d transport=%s connect_to_client_auth (server view, burst"
            + " write -> END received): median_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
        what,
        n,
        kind.name().toLowerCase(Locale.ROOT),
        pct(sorted, 0.5) / 1e6,
        pct(sorted, 0.99) / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  private static void waitForAgent(InstanceManagementService service, long samples)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (service.authLatency().count() < samples && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private static long pct(long[] sorted, double p) {
    int idx = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  /**
   * Sends one burst of {@code n} CONNECTs (CIDs from {@code base}) and returns sorted latencies.
   */
  private static long[] burst(FakeManagementServer.Conn conn, int n, int base) throws Exception {
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < n; i++) {
      burst
          .append(">CLIENT:CONNECT,")
          .append(base + i)
          .append(",1\r\n>CLIENT:ENV,untrusted_ip=198.18.0.2\r\n>CLIENT:ENV,common_name=router-")
          .append(base + i)
          .append("\r\n>CLIENT:ENV,dev=tun0\r\n>CLIENT:ENV,END\r\n");
    }
    long[] latency = new long[n];
    long t0 = System.nanoTime();
    conn.send(burst.toString());
    int done = 0;
    int current = -1;
    Duration wait = Duration.ofSeconds(30);
    StringBuilder replies = new StringBuilder();
    while (done < n) {
      // like OpenVPN's event loop: handle what has arrived, then write the replies in one go
      String line = conn.pollLine();
      if (line == null) {
        if (replies.length() > 0) {
          conn.send(replies.toString());
          replies.setLength(0);
        }
        line = conn.readLine(wait);
      }
      if (conn.isEof(line)) {
        throw new IllegalStateException("client closed after " + done + " answers");
      }
      if (line.startsWith("client-auth ") || line.startsWith("client-deny ")) {
        int from = line.indexOf(' ') + 1;
        int to = line.indexOf(' ', from);
        current = Integer.parseInt(line, from, to < 0 ? line.length() : to, 10) - base;
        if (line.startsWith("client-deny ")) {
          latency[current] = System.nanoTime() - t0;
          done++;
          replies.append("SUCCESS: client-deny command succeeded\r\n");
        }
      } else if (line.equals("END")) {
        latency[current] = System.nanoTime() - t0;
        done++;
        replies.append("SUCCESS: client-auth command succeeded\r\n");
      }
    }
    if (replies.length() > 0) {
      conn.send(replies.toString());
    }
    Arrays.sort(latency);
    return latency;
  }
}
