package ovpnagent.openvpn.mgmt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
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
 * The agent side of the CONNECT-to-client-auth latency bench ({@code bench/auth_latency.sh}, issue
 * 3 "Figures"), not a test: run in its own JVM with the launcher's flags, it holds only the
 * production path - an {@link InstanceManagementService} for a routed instance (pool {@code
 * 198.18.0.0/16}, one push line, allow-all policy) whose addresses come from a {@link
 * ovpnagent.routed.RoutedAllocator} on the H2 store (a file in a temporary directory; the records
 * are written behind, as in production) - connected through the production {@link
 * ManagementEndpoint} to the management socket that {@link AuthLatencyServer} (another JVM) names
 * in {@code <dir>/endpoint}.
 *
 * <p>Usage: {@code AuthLatencyAgent <dir> [clients] [warmup-bursts] [measured-bursts]}: the burst
 * size and counts must match the server's. Once it has accounted every warm-up answer it resets its
 * recorder and creates {@code <dir>/agent-warm} (the server waits for it before the first measured
 * burst); it runs until the server closes the connection (or at most 30 minutes, or until it is
 * killed), then prints the agent-view figure (CONNECT block parsed -> SUCCESS of its answer read)
 * over the measured bursts.
 */
public final class AuthLatencyAgent {
  private AuthLatencyAgent() {}

  /** Runs the agent until the server hangs up and prints the agent-view line. */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    if (args.length < 1) {
      System.err.println(
          "usage: AuthLatencyAgent <dir> [clients] [warmup-bursts] [measured-bursts]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int warmups = Math.max(1, args.length > 2 ? Integer.parseInt(args[2]) : 1);
    int rounds = Math.max(1, args.length > 3 ? Integer.parseInt(args[3]) : 1);
    ManagementEndpoint endpoint = readEndpoint(dir.resolve(AuthLatencyServer.ENDPOINT));
    Path storeDir = Files.createTempDirectory(dir, "agent-store");
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    Metrics metrics = new Metrics();
    try (H2Store store =
        H2Store.open(
            System.getProperty("bench.store", "jdbc:h2:file:" + storeDir.resolve("agent-store")))) {
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
              endpoint,
              "subnet",
              false,
              store.routed(),
              metrics,
              Clock.systemUTC(),
              scheduler);
      try {
        service.start();
        await("the management handshake", service::isConnected, Duration.ofSeconds(60), 5);
        // warm-up answers accounted: drop them and tell the server to go on
        await(
            "the warm-up answers",
            () -> service.authLatency().count() >= (long) n * warmups || !service.isConnected(),
            Duration.ofMinutes(10),
            2);
        service.authLatency().reset();
        Files.writeString(dir.resolve(AuthLatencyServer.AGENT_WARM), "", StandardCharsets.UTF_8);
        await("the server to hang up", () -> !service.isConnected(), Duration.ofMinutes(30), 50);
        // every SUCCESS precedes the hang-up on the socket; this only waits for the accounting
        await(
            "the measured answers",
            () -> service.authLatency().count() >= (long) n * rounds,
            Duration.ofSeconds(10),
            5);
        System.out.printf(
            Locale.ROOT,
            "mgmt.bench measured connect_to_auth (agent view, block parsed -> SUCCESS read):"
                + " median_ms=%.2f p99_ms=%.2f allowed=%d denied=%d%n",
            service.authLatency().percentile(0.5) / 1e6,
            service.authLatency().percentile(0.99) / 1e6,
            metrics.get("mgmt.auth.allowed"),
            metrics.get("mgmt.auth.denied"));
        System.out.flush();
      } finally {
        service.close();
      }
    } finally {
      scheduler.shutdownNow();
      try (var files = Files.walk(storeDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** Waits for the server's {@code endpoint} file and turns it into a management endpoint. */
  private static ManagementEndpoint readEndpoint(Path file) throws Exception {
    await(
        "the server's endpoint file " + file, () -> Files.exists(file), Duration.ofSeconds(60), 10);
    String d = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (d.startsWith("unix:")) {
      return ManagementEndpoint.unix(Path.of(d.substring(5)), null);
    }
    if (d.startsWith("tcp:")) {
      int colon = d.lastIndexOf(':');
      return ManagementEndpoint.tcp(
          d.substring(4, colon), Integer.parseInt(d.substring(colon + 1)), null);
    }
    throw new IllegalStateException("unknown endpoint '" + d + "' in " + file);
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(String what, Condition c, Duration timeout, long pollMs)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!c.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up waiting for " + what);
      }
      Thread.sleep(pollMs);
    }
  }
}
