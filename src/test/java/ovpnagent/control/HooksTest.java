package ovpnagent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovpnagent.config.ControlConfig;
import ovpnagent.metrics.Metrics;

/**
 * hooks/learn-address and hooks/up run as OpenVPN would run them (a fresh process, its arguments,
 * its environment) against a real {@link ControlServer} in this JVM, or a fake agent for starts.
 */
class HooksTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LEARN = Path.of("hooks/learn-address").toAbsolutePath();
  private static final Path UP = Path.of("hooks/up").toAbsolutePath();
  private static final Path FAKE_AGENT =
      Path.of("src/test/resources/control/fake-agent.sh").toAbsolutePath();

  @TempDir Path dir;
  private final List<AutoCloseable> closeMe = new ArrayList<>();
  private final BlockingQueue<JsonNode> learned = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonNode> devicesUp = new LinkedBlockingQueue<>();
  private final List<Long> fakeAgents = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeMe) {
      c.close();
    }
    for (long pid : fakeAgents) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
  }

  private ControlServer agent(Path sock) throws Exception {
    CommandRegistry r = new CommandRegistry(new Metrics(), "t", InstantSource.system());
    r.register(
        "learn-address",
        "learn-address events",
        a -> {
          learned.add(a);
          return ControlResponse.ok(null);
        });
    r.register(
        "device-up",
        "device-up events",
        a -> {
          devicesUp.add(a);
          return ControlResponse.ok(null);
        });
    ControlServer s = new ControlServer(new ControlConfig(sock, null), r);
    closeMe.add(s);
    s.start();
    return s;
  }

  private record Run(int exit, String err, long micros) {}

  /** Runs a hook with only PATH (plus {@code env}) in its environment, like OpenVPN's delete. */
  private Run hook(Path script, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(script.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().putAll(env);
    Path err = Files.createTempFile(dir, "hook", ".err");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    boolean done = p.waitFor(10, TimeUnit.SECONDS);
    long micros = (System.nanoTime() - t0) / 1000;
    if (!done) {
      p.destroyForcibly();
      throw new AssertionError(script + " did not exit within 10 s");
    }
    // the background job may still write to the file; read what is there
    return new Run(p.exitValue(), Files.readString(err), micros);
  }

  private static JsonNode json(String s) throws IOException {
    return JSON.readTree(s);
  }

  @Test
  void learnAddressForwardsEventsToTheAgent() throws Exception {
    Path sock = dir.resolve("control.sock");
    agent(sock);
    Map<String, String> env = Map.of("OVPN_AGENT_CONTROL", sock.toString(), "dev", "tap0");
    Run r = hook(LEARN, env, "add", "8a:5c:84:12:99:e9@0", "router-a");
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        json(
            "{\"op\":\"add\",\"addr\":\"8a:5c:84:12:99:e9@0\",\"cn\":\"router-a\",\"dev\":\"tap0\"}"),
        learned.poll(5, TimeUnit.SECONDS));

    Run tun = hook(LEARN, env, "update", "198.19.200.0/24", "router-b");
    assertEquals(0, tun.exit(), tun.err());
    JsonNode e = learned.poll(5, TimeUnit.SECONDS);
    assertEquals("update", e.get("op").asText());
    assertEquals("198.19.200.0/24", e.get("addr").asText());
  }

  @Test
  void learnAddressFindsTheSocketThroughTheAgentConfigOnDelete() throws Exception {
    // delete: no CN and an empty environment, so only the command line names the config
    Path sock = dir.resolve("run/control.sock");
    agent(sock);
    Path conf = dir.resolve("agent.json");
    Files.writeString(
        conf,
        """
        {
          "stateDir": "state",
          "control": {
            "group": null,
            "socket": "run/control.sock"
          },
          "metrics": {"listen": "127.0.0.1:9469"}
        }
        """);
    Run r =
        hook(
            LEARN,
            Map.of(),
            "--config",
            conf.toString(),
            "--instance",
            "site",
            "delete",
            "8a:5c:84:12:99:e9@0");
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        json("{\"op\":\"delete\",\"addr\":\"8a:5c:84:12:99:e9@0\",\"instance\":\"site\"}"),
        learned.poll(5, TimeUnit.SECONDS));

    // the same config written on one line
    Files.writeString(conf, "{\"control\":{\"socket\":\"" + sock + "\"}}");
    Run one = hook(LEARN, Map.of(), "--config=" + conf, "add", "52:50:0e:2b:80:24", "r1");
    assertEquals(0, one.exit(), one.err());
    assertEquals("52:50:0e:2b:80:24", learned.poll(5, TimeUnit.SECONDS).get("addr").asText());
  }

  @Test
  void learnAddressReturnsWithin50msWithAndWithoutTheAgent() throws Exception {
    Path sock = dir.resolve("control.sock");
    ControlServer s = agent(sock);
    Map<String, String> env = Map.of("OVPN_AGENT_CONTROL", sock.toString());
    assertTrue(median(env, "agent up") < 50_000);
    for (int i = 0; i < 7; i++) {
      assertTrue(learned.poll(5, TimeUnit.SECONDS) != null, "each event arrives");
    }
    s.close();
    assertTrue(median(env, "agent down") < 50_000);

    // an agent that accepts connections but never answers must not hold OpenVPN either
    Path hung = dir.resolve("hung.sock");
    try (ServerSocketChannel h = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      h.bind(UnixDomainSocketAddress.of(hung), 50);
      assertTrue(median(Map.of("OVPN_AGENT_CONTROL", hung.toString()), "agent hung") < 50_000);
    }
  }

  /**
   * Runs seven add events; every one exits 0 in under a second; returns the median in µs (the
   * median, because this 2-core CI machine is shared and one run can be descheduled).
   */
  private long median(Map<String, String> env, String what) throws Exception {
    List<Long> t = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Run r = hook(LEARN, env, "add", "8a:5c:84:12:99:e" + i + "@0", "router-a");
      assertEquals(0, r.exit(), what + ": " + r.err());
      assertTrue(r.micros() < 1_000_000, what + ": took " + r.micros() + " µs");
      t.add(r.micros());
    }
    Collections.sort(t);
    System.out.println("learn-address " + what + ": " + t + " µs");
    return t.get(3);
  }

  @Test
  void aBurstOfLearnAddressEventsIsNotLost() throws Exception {
    // a router coming up: OpenVPN runs the hook once per MAC behind it, back to back
    Path sock = dir.resolve("control.sock");
    agent(sock);
    Map<String, String> env = Map.of("OVPN_AGENT_CONTROL", sock.toString());
    int n = 100;
    for (int i = 0; i < n; i++) {
      String mac = String.format("52:50:0e:2b:%02x:%02x@0", i / 256, i % 256);
      assertEquals(0, hook(LEARN, env, "add", mac, "router-a").exit());
    }
    java.util.Set<String> got = new java.util.HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (got.size() < n && System.nanoTime() < deadline) {
      JsonNode e = learned.poll(100, TimeUnit.MILLISECONDS);
      if (e != null) {
        got.add(e.get("addr").asText());
      }
    }
    assertEquals(n, got.size(), "every event arrived");
  }

  @Test
  void learnAddressRejectsBadArgumentsCleanly() throws Exception {
    Path sock = dir.resolve("control.sock");
    agent(sock);
    Map<String, String> env = Map.of("OVPN_AGENT_CONTROL", sock.toString());
    // calls OpenVPN never makes: usage, exit 2
    for (String[] bad :
        new String[][] {
          {},
          {"add"},
          {"bogus", "8a:5c:84:12:99:e9"},
          {"--frob", "add", "x"},
          {"add", "a", "b", "c"}
        }) {
      Run r = hook(LEARN, env, bad);
      assertEquals(2, r.exit(), String.join(" ", bad) + ": " + r.err());
      assertTrue(r.err().contains("usage: learn-address"), r.err());
    }
    // OpenVPN calls with addresses or names the agent cannot take: exit 0 (never block
    // the client's frames), logged, not forwarded
    for (String[] ignored :
        new String[][] {
          {"add", "2001:db8::1", "laptop"},
          {"add", "198.18.0.256", "laptop"},
          {"add", "198.18.0.1/33", "laptop"},
          {"add", "8a:5c:84:12:99:e9@12345", "r"},
          {"add", "8a:5c:84:12:99:e9\",\"op\":\"delete", "r"},
          {"add", "8a:5c:84:12:99:e9", "evil\",\"op\":\"delete"},
          {"update", "8a:5c:84:12:99:e9", "line\nbreak"},
          {"add", "8a:5c:84:12:99:e9", "x".repeat(65)}
        }) {
      Run r = hook(LEARN, env, ignored);
      assertEquals(0, r.exit(), String.join(" ", ignored) + ": " + r.err());
      assertTrue(r.err().contains("ignoring"), r.err());
    }
    // a good event after them is the only one that arrives
    assertEquals(0, hook(LEARN, env, "add", "52:50:0e:2b:80:24", "marker").exit());
    JsonNode first = learned.poll(5, TimeUnit.SECONDS);
    assertEquals("marker", first.get("cn").asText());
    assertNull(learned.poll(300, TimeUnit.MILLISECONDS), "nothing else was forwarded");
  }

  @Test
  void upSendsDeviceUpToARunningAgent() throws Exception {
    Path sock = dir.resolve("control.sock");
    agent(sock);
    Path starts = dir.resolve("starts");
    Map<String, String> env = new HashMap<>(fakeEnv(sock, starts));
    Run r =
        hook(
            UP,
            env,
            "--instance",
            "site",
            "tap0",
            "1500",
            "1622",
            "198.18.0.1",
            "255.255.255.0",
            "init");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.micros() < 1_000_000, "returns at once: " + r.micros() + " µs");
    assertEquals(
        json("{\"dev\":\"tap0\",\"mtu\":1500,\"context\":\"init\",\"instance\":\"site\"}"),
        devicesUp.poll(10, TimeUnit.SECONDS));
    // idempotent: again, same event, still no agent started
    assertEquals(
        0, hook(UP, env, "tap0", "1500", "1622", "198.18.0.1", "255.255.255.0", "restart").exit());
    assertEquals("restart", devicesUp.poll(10, TimeUnit.SECONDS).get("context").asText());
    assertTrue(!Files.exists(starts), "no agent started while one is running");
    // no DEV: a call OpenVPN never makes
    assertEquals(2, hook(UP, env).exit());
  }

  private Map<String, String> fakeEnv(Path sock, Path starts) {
    return Map.of(
        "OVPN_AGENT_CONTROL", sock.toString(),
        "OVPN_AGENT_BIN", FAKE_AGENT.toString(),
        "OVPN_AGENT_CONFIG", dir.resolve("agent.json").toString(),
        "OVPN_AGENT_START_LOG", dir.resolve("log/start.log").toString(),
        "FAKE_AGENT_STARTS", starts.toString(),
        "FAKE_AGENT_REQUESTS", dir.resolve("requests").toString());
  }

  @Test
  void upStartedTwiceConcurrentlyStartsOneAgent() throws Exception {
    Path sock = dir.resolve("run/control.sock");
    Path starts = dir.resolve("starts");
    Path requests = dir.resolve("requests");
    Map<String, String> env = fakeEnv(sock, starts);
    List<Thread> ts = new ArrayList<>();
    List<Run> runs = Collections.synchronizedList(new ArrayList<>());
    for (String dev : new String[] {"tap0", "tap1"}) {
      Thread t =
          new Thread(
              () -> {
                try {
                  runs.add(
                      hook(UP, env, dev, "1500", "1622", "198.18.0.1", "255.255.255.0", "init"));
                } catch (Exception e) {
                  runs.add(new Run(-1, e.toString(), 0));
                }
              });
      t.start();
      ts.add(t);
    }
    for (Thread t : ts) {
      t.join(20_000);
    }
    assertEquals(2, runs.size());
    for (Run r : runs) {
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.micros() < 1_000_000, "up returns at once: " + r.micros() + " µs");
    }
    // both devices are reported to the one agent once it answers
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<String> devUps = List.of();
    while (System.nanoTime() < deadline) {
      devUps = deviceUps(requests);
      if (devUps.size() >= 2) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    List<String> startLines = Files.readAllLines(starts);
    for (String l : startLines) {
      fakeAgents.add(Long.parseLong(l.split(" ")[0]));
    }
    assertEquals(List.of("tap0", "tap1"), devUps.stream().sorted().toList(), "device-up for both");
    assertEquals(1, startLines.size(), "exactly one agent started: " + startLines);
    assertTrue(
        startLines.get(0).endsWith("run --config " + dir.resolve("agent.json")), startLines.get(0));

    // a third up later finds it running and starts nothing
    assertEquals(0, hook(UP, env, "tap2", "1500").exit());
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (deviceUps(requests).size() < 3 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    assertEquals(3, deviceUps(requests).size());
    assertEquals(1, Files.readAllLines(starts).size());
  }

  private static List<String> deviceUps(Path requests) throws IOException {
    List<String> devs = new ArrayList<>();
    if (!Files.exists(requests)) {
      return devs;
    }
    for (String l : Files.readAllLines(requests)) {
      JsonNode n = JSON.readTree(l);
      if (n.get("command").asText().equals("device-up")) {
        devs.add(n.get("arguments").get("dev").asText());
      }
    }
    return devs;
  }
}
