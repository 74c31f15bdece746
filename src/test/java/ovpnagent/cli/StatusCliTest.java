package ovpnagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovpnagent.config.ControlConfig;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlResponse;
import ovpnagent.control.ControlServer;
import ovpnagent.metrics.Metrics;

class StatusCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private ControlServer server;
  private final AtomicReference<JsonNode> lastArgs = new AtomicReference<>();
  private final Metrics metrics = new Metrics();

  @BeforeEach
  void start() throws Exception {
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    AtomicReference<Instant> now = new AtomicReference<>(t0);
    CommandRegistry r = new CommandRegistry(metrics, "0.1.0", now::get);
    now.set(t0.plusSeconds(93784)); // 1d 2h 3m 4s
    r.register(
        "instances-get",
        "instances",
        a ->
            ControlResponse.ok(
                JSON.readTree(
                    """
[{"name": "site", "mode": "bridged-tap",
  "mgmt": {"state": "connected", "since": "2026-11-22T10:00:01Z"}, "clients": 12},
 {"name": "laptops", "mode": "routed-tun",
  "mgmt": {"state": "reconnecting"}, "clients": 3, "dhcp": null}]
""")));
    r.register(
        "lease4-get-all",
        "leases",
        a -> {
          lastArgs.set(a);
          return ControlResponse.ok(
              JSON.readTree(
                  """
{"leases": [
  {"ip-address": "198.18.0.10", "hw-address": "52:50:0e:2b:80:24",
   "router": "router-a", "hostname": "printer\\u001b[2J\\nevent=fake", "valid-lft": 3600},
  {"ip-address": "198.18.0.11", "hw-address": "52:50:0e:2b:80:25",
   "router": "router-b", "valid-lft": 86400, "tags": ["a", "b"]}]}
"""));
        });
    r.register("routers-get", "routers", a -> ControlResponse.ok(JSON.createArrayNode()));
    r.register(
        "lease4-del",
        "release",
        a -> {
          lastArgs.set(a);
          return a.get("hw-address").asText().endsWith("24")
              ? ControlResponse.ok("released 198.18.0.10", null)
              : ControlResponse.empty("no lease for " + a.get("hw-address").asText());
        });
    r.register(
        "leases-reclaim",
        "reclaim",
        a -> {
          lastArgs.set(a);
          return ControlResponse.ok("reclaimed 2 leases", JSON.readTree("{\"reclaimed\": 2}"));
        });
    r.register(
        "quarantine-get",
        "quarantine",
        a -> {
          throw new IllegalStateException("store unavailable");
        });
    r.addStatusSection(
        "instances",
        () -> {
          try {
            return JSON.readTree(
                "[{\"name\":\"site\",\"dhcp\":{\"bound\":true,\"interface\":\"br0\"},"
                    + "\"pools\":[{\"subnet\":\"198.18.0.0/24\",\"used\":10,\"size\":200}]}]");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    metrics.counter("dhcp4.drop.not_for_us").add(4);
    server = new ControlServer(new ControlConfig(dir.resolve("control.sock"), null), r);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private record Out(int exit, String out, String err) {}

  private Out cli(String command, String... args) {
    return cli(server.socket(), command, args);
  }

  private static Out cli(Path socket, String command, String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int rc =
        StatusCli.run(
            command,
            List.of(args),
            socket,
            new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8));
    return new Out(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  @Test
  void instancesAsATableWithFlattenedColumns() {
    Out r = cli("instances");
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        """
        NAME     MODE         MGMT.STATE    MGMT.SINCE            CLIENTS  DHCP
        site     bridged-tap  connected     2026-11-22T10:00:01Z       12  -
        laptops  routed-tun   reconnecting  -                           3  -
        """,
        r.out());
  }

  @Test
  void leasesTableEscapesTerminalControlAndPassesFilters() {
    Out r = cli("leases", "--router", "router-a", "--mac", "52-50-0E-2B-80-24");
    assertEquals(0, r.exit(), r.err());
    assertEquals("router-a", lastArgs.get().get("router").asText());
    assertEquals("52:50:0e:2b:80:24", lastArgs.get().get("hw-address").asText());
    String[] lines = r.out().split("\n");
    assertEquals(3, lines.length, r.out());
    String host = "printer\\u001b[2J\\nevent=fake"; // 28 characters once escaped
    assertEquals(28, host.length());
    assertEquals(
        "IP-ADDRESS   HW-ADDRESS         ROUTER    HOSTNAME" + " ".repeat(20) + "  VALID-LFT  TAGS",
        lines[0]);
    assertEquals("198.18.0.10  52:50:0e:2b:80:24  router-a  " + host + "       3600  -", lines[1]);
    assertEquals(
        "198.18.0.11  52:50:0e:2b:80:25  router-b  -" + " ".repeat(27) + "      86400  a,b",
        lines[2]);
    assertFalse(r.out().contains("\u001b"), "no raw escape reaches the terminal");
  }

  @Test
  void jsonPrintsTheRawResponse() throws Exception {
    Out r = cli("leases", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode resp = JSON.readTree(r.out());
    assertEquals(0, resp.get("result").asInt());
    assertEquals(2, resp.get("arguments").get("leases").size());
    assertEquals(
        "198.18.0.11", resp.get("arguments").get("leases").get(1).get("ip-address").asText());
    assertEquals(0, lastArgs.get().size(), "no filters sent");
  }

  @Test
  void statusRendersSections() {
    Out r = cli("status");
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        "ovpn-agent 0.1.0  pid "
            + ProcessHandle.current().pid()
            + "  up 1d 2h 3m 4s\n"
            + "\n"
            + "drops\n"
            + "  dhcp4.drop.not_for_us  4\n"
            + "\n"
            + "instances\n"
            + "  NAME  DHCP.BOUND  DHCP.INTERFACE  POOLS\n"
            + "  site  true        br0            "
            + " [{\"subnet\":\"198.18.0.0/24\",\"used\":10,\"size\":200}]\n",
        r.out());
  }

  @Test
  void emptyListAndActions() {
    Out routers = cli("routers");
    assertEquals(0, routers.exit());
    assertEquals("(none)\n", routers.out());

    Out rel = cli("release", "52:50:0E:2B:80:24");
    assertEquals(0, rel.exit(), rel.err());
    assertEquals("released 198.18.0.10\n", rel.out());
    assertEquals("52:50:0e:2b:80:24", lastArgs.get().get("hw-address").asText());

    Out none = cli("release", "52:50:0e:2b:80:99");
    assertEquals(0, none.exit());
    assertEquals("no lease for 52:50:0e:2b:80:99\n", none.out());

    Out rec = cli("reclaim");
    assertEquals(0, rec.exit(), rec.err());
    assertEquals("reclaimed 2 leases\nreclaimed  2\n", rec.out());
    assertFalse(lastArgs.get().get("remove").asBoolean(true));
  }

  @Test
  void agentErrorsAndUnsupportedCommandsExit1() {
    Out q = cli("quarantine");
    assertEquals(1, q.exit());
    assertEquals("ovpn-agent: quarantine failed: store unavailable\n", q.err());
    Out c = cli("clients");
    assertEquals(1, c.exit());
    assertTrue(
        c.err().startsWith("ovpn-agent: the running agent does not support 'clients-get'"),
        c.err());
    Out cj = cli("clients", "--json");
    assertEquals(1, cj.exit());
  }

  @Test
  void usageErrorsExit2() {
    for (String[] bad :
        new String[][] {
          {"frobnicate"},
          {"release"},
          {"release", "not-a-mac"},
          {"leases", "--router"},
          {"status", "extra"},
          {"routers", "--mac", "52:50:0e:2b:80:24"},
          {"leases", "--colour"}
        }) {
      Out r = cli(bad[0], java.util.Arrays.copyOfRange(bad, 1, bad.length));
      assertEquals(2, r.exit(), String.join(" ", bad) + ": " + r.err());
      assertTrue(r.err().contains("usage: ovpn-agent"), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void agentNotRunningExits3() throws Exception {
    Path missing = dir.resolve("nope.sock");
    Out r = cli(missing, "status");
    assertEquals(3, r.exit());
    assertEquals("ovpn-agent is not running (no control socket at " + missing + ")\n", r.err());

    // a stale socket file with nobody listening: connection refused
    Path stale = dir.resolve("stale.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(stale));
    }
    Out r2 = cli(stale, "leases", "--json");
    assertEquals(3, r2.exit());
    assertEquals("ovpn-agent is not running (no control socket at " + stale + ")\n", r2.err());
  }

  @Test
  void commandLineFindsTheSocketThroughConfigEnvOrFlag() throws Exception {
    Path conf = dir.resolve("agent.json");
    java.nio.file.Files.writeString(
        conf,
        """
        {
          // comments are allowed, as in the agent's own loader
          "control": {"socket": "control.sock", "group": "ovpn"}
        }
        """);
    assertEquals(server.socket(), StatusCli.socketFor(conf));
    assertEquals(StatusCli.DEFAULT_SOCKET, StatusCli.socketFor(dir.resolve("missing.json")));

    ByteArrayOutputStream o = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(
        0,
        StatusCli.runArgs(
            List.of("routers", "--config", conf.toString(), "--json"),
            java.util.Map.of(),
            out,
            err));
    assertEquals(0, JSON.readTree(o.toString(StandardCharsets.UTF_8)).get("result").asInt());
    assertEquals(
        0,
        StatusCli.runArgs(
            List.of("routers"), java.util.Map.of("OVPN_AGENT_CONFIG", conf.toString()), out, err));
    assertEquals(
        0,
        StatusCli.runArgs(
            List.of("--control", server.socket().toString(), "routers"),
            java.util.Map.of(),
            out,
            err));
    assertEquals(
        3,
        StatusCli.runArgs(
            List.of("routers"),
            java.util.Map.of("OVPN_AGENT_CONTROL", dir.resolve("x.sock").toString()),
            out,
            err));
    assertEquals(2, StatusCli.runArgs(List.of("--json"), java.util.Map.of(), out, err));
  }
}
