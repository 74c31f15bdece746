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
import ovpnagent.routed.InMemoryRoutedAddressStore;
import ovpnagent.util.Cidr;

/**
 * CONNECT-to-client-auth latency for {@code make bench} (issue 3 "Figures"), not a test: the fake
 * management server writes N {@code >CLIENT:CONNECT} blocks (default 1,000) in one burst to a
 * routed instance and answers each {@code client-auth} with SUCCESS (replies to the lines already
 * received are written together, as OpenVPN's event loop does); the latency of a client is from the
 * burst's write to the arrival of its {@code END}. Prints median and p99 in ms.
 *
 * <p>Usage: {@code AuthLatencyBench [clients] [tcp|unix] [warmup-rounds]}; a warm-up burst (default
 * one, distinct CIDs and names) runs first so the measured burst is not the JIT's first run.
 */
public final class AuthLatencyBench {
  private AuthLatencyBench() {}

  /** Runs the measurement and prints one summary line per figure. */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    FakeManagementServer.Kind kind =
        args.length > 1 && args[1].equalsIgnoreCase("unix")
            ? FakeManagementServer.Kind.UNIX
            : FakeManagementServer.Kind.TCP;
    Path dir = Files.createTempDirectory("mgmt-bench");
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    Metrics metrics = new Metrics();
    try (FakeManagementServer server =
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
              new InMemoryRoutedAddressStore(),
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
        for (int round = 0; round <= warmups; round++) {
          if (round == warmups) {
            waitForAgent(service, (long) n * warmups);
            service.authLatency().reset();
          }
          long[] sorted = burst(conn, n, round * n);
          System.out.printf(
              Locale.ROOT,
              "mgmt.bench %s clients=%d transport=%s connect_to_client_auth (server view, burst"
                  + " write -> END received): median_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
              round < warmups ? "warmup" : "measured",
              n,
              kind.name().toLowerCase(Locale.ROOT),
              pct(sorted, 0.5) / 1e6,
              pct(sorted, 0.99) / 1e6,
              sorted[n - 1] / 1e6);
        }
        waitForAgent(service, n);
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
      Files.deleteIfExists(dir.resolve("mgmt.sock"));
      Files.deleteIfExists(dir);
    }
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
