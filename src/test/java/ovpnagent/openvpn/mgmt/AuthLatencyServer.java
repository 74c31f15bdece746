package ovpnagent.openvpn.mgmt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The OpenVPN side of the CONNECT-to-client-auth latency bench ({@code bench/auth_latency.sh},
 * issue 3 "Figures"), not a test: run in its own JVM, as OpenVPN is a process of its own, so that
 * its allocations, GCs and JIT work do not land in the agent's heap. A {@link FakeManagementServer}
 * listens on {@code <dir>/mgmt.sock} (unix) or an ephemeral 127.0.0.1 port (tcp) and writes {@code
 * <dir>/endpoint} (the transport's description, e.g. {@code unix:/tmp/x/mgmt.sock} or {@code
 * tcp:127.0.0.1:40123}) for {@link AuthLatencyAgent} to connect to; it plays {@code
 * bench_start.txt} (handshake, empty {@code status 3}), then writes bursts of N {@code
 * >CLIENT:CONNECT} blocks of new routed clients (new CIDs and common names every burst) and answers
 * each {@code client-auth} with SUCCESS (replies to the lines already received are written
 * together, as OpenVPN's event loop does). A client's latency is from the burst's write to the
 * arrival of its {@code END}; these server-view figures are measured in this process alone.
 *
 * <p>Usage: {@code AuthLatencyServer <dir> [tcp|unix] [clients] [warmup-bursts] [measured-bursts]},
 * with {@code -Dbench.pauseMs} of quiet before each burst. The first burst is reported as "cold";
 * warm-up bursts (the cold one included) are not counted; each measured burst is printed, then the
 * pooled median and p99 and the median and worst of the per-burst p99s. Before the first measured
 * burst it waits (up to 10 s) for the agent to create {@code <dir>/agent-warm}, which the agent
 * does once it has accounted every warm-up answer and reset its own recorder (only the agent-view
 * figure depends on this). At the end it closes the connection, which tells the agent to finish.
 */
public final class AuthLatencyServer {
  private AuthLatencyServer() {}

  /** The file the agent creates once its warm-up samples are accounted and dropped. */
  static final String AGENT_WARM = "agent-warm";

  /** The file holding the transport's description ({@link ManagementTransport#describe()}). */
  static final String ENDPOINT = "endpoint";

  /**
   * Quiet time before each burst (ms): each burst meets an idle agent, as a mass reconnect would,
   * rather than the tail of the previous burst's writes.
   */
  private static final long PAUSE_MS = Long.getLong("bench.pauseMs", 0);

  /** Serves the agent and prints one summary line per figure. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println(
          "usage: AuthLatencyServer <dir> [tcp|unix] [clients] [warmup-bursts] [measured-bursts]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    FakeManagementServer.Kind kind =
        args.length > 1 && args[1].equalsIgnoreCase("tcp")
            ? FakeManagementServer.Kind.TCP
            : FakeManagementServer.Kind.UNIX;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int warmups = Math.max(1, args.length > 3 ? Integer.parseInt(args[3]) : 1);
    int rounds = Math.max(1, args.length > 4 ? Integer.parseInt(args[4]) : 1);
    Path endpoint = dir.resolve(ENDPOINT);
    try (FakeManagementServer server =
        new FakeManagementServer(kind, dir, Duration.ofSeconds(30))) {
      Path tmp = dir.resolve(ENDPOINT + ".tmp");
      Files.writeString(tmp, server.transport().describe() + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, endpoint, StandardCopyOption.ATOMIC_MOVE);
      server.play("bench_start.txt");
      FakeManagementServer.Conn conn = server.current();
      server.stopRecording();
      long[] pooled = new long[n * rounds];
      long[] burstP99 = new long[rounds];
      long[] burstMedian = new long[rounds];
      for (int round = 0; round < warmups + rounds; round++) {
        if (round == warmups) {
          waitForAgentWarm(dir.resolve(AGENT_WARM));
        }
        Thread.sleep(PAUSE_MS);
        long[] sorted = burst(conn, n, round * n);
        if (round >= warmups) {
          System.arraycopy(sorted, 0, pooled, (round - warmups) * n, n);
          burstP99[round - warmups] = pct(sorted, 0.99);
          burstMedian[round - warmups] = pct(sorted, 0.5);
        }
        print(round == 0 ? "cold" : round < warmups ? "warmup" : "measured-burst", n, kind, sorted);
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
      System.out.flush();
    } finally {
      Files.deleteIfExists(endpoint);
      if (kind == FakeManagementServer.Kind.UNIX) {
        Files.deleteIfExists(dir.resolve("mgmt.sock"));
      }
    }
  }

  private static void waitForAgentWarm(Path marker) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Files.exists(marker)) {
      if (System.nanoTime() > deadline) {
        System.err.println(
            "mgmt.bench: no "
                + marker
                + " from the agent within 10 s; the agent view may include"
                + " warm-up samples");
        return;
      }
      Thread.sleep(2);
    }
  }

  private static void print(String what, int n, FakeManagementServer.Kind kind, long[] sorted) {
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

  static long pct(long[] sorted, double p) {
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
