package ovpnagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.util.Ipv4;

class ConfigLoaderTest {
  private static final String GOOD =
      """
{
  "openvpn": {"configs": ["server.conf", {"config": "/etc/openvpn/tun.conf", "routed": {"pool": "198.19.128.0/24"}}]},
  "bridge": {"name": "br0", "address": "198.19.0.1/24"},
  "dhcp": {"enabled": true, "pool": {"start": "198.19.0.100", "end": "198.19.0.199"},
           "leaseTime": "10m", "routers": ["198.19.0.1"], "declineLimit": "5/30m",
           "reservations": {"52:50:0E:2B:80:24": "198.19.0.10", "id:01:aa:bb": "198.19.0.11"}},
  "store": {"url": "jdbc:h2:mem:x"}
}
""";

  private static ConfigException bad(String json) {
    return assertThrows(
        ConfigException.class, () -> ConfigLoader.parse(json, Path.of("/etc/a.json")));
  }

  @Test
  void parsesAGoodConfig() throws Exception {
    AgentConfig c = ConfigLoader.parse(GOOD, Path.of("/etc/ovpn-agent/agent.json"));
    assertEquals(Path.of("/etc/ovpn-agent/server.conf"), c.instances().get(0).config());
    assertEquals("198.19.128.0/24", c.instances().get(1).routedPool().toString());
    assertEquals(Ipv4.parse("198.19.0.100"), c.dhcp().poolStart());
    assertEquals(100, c.dhcp().poolSize());
    assertEquals(Duration.ofMinutes(10), c.dhcp().leaseTime());
    assertEquals(5, c.dhcp().declineLimit());
    assertEquals(Duration.ofMinutes(30), c.dhcp().declineWindow());
    assertEquals(Ipv4.parse("198.19.0.10"), c.dhcp().reservations().get("52:50:0e:2b:80:24"));
    assertEquals(Ipv4.parse("198.19.0.11"), c.dhcp().reservations().get("id:01aabb"));
  }

  @Test
  void unknownKeyIsNamed() {
    assertEquals("dhcp.leasetime", bad("{\"dhcp\": {\"leasetime\": \"1h\"}}").key());
    assertEquals("bogus", bad("{\"bogus\": 1}").key());
  }

  @Test
  void badAddressIsNamed() {
    ConfigException e =
        bad(
            "{\"bridge\": {\"address\": \"198.19.0.1/24\"}, \"dhcp\": {\"enabled\": true,"
                + " \"pool\": {\"start\": \"198.19.0.300\", \"end\": \"198.19.0.10\"}}}");
    assertEquals("dhcp.pool.start", e.key());
  }

  @Test
  void poolOutsideBridgeSubnetIsRejected() {
    ConfigException e =
        bad(
            "{\"bridge\": {\"address\": \"198.19.0.1/24\"}, \"dhcp\": {\"enabled\": true,"
                + " \"pool\": {\"start\": \"198.19.0.10\", \"end\": \"198.19.1.10\"}}}");
    assertEquals("dhcp.pool.end", e.key());
    assertTrue(e.getMessage().contains("outside the bridge subnet"), e.getMessage());
  }

  @Test
  void aPoolOfOnlyTheBridgeAddressIsEmpty() {
    ConfigException e =
        bad(
            "{\"bridge\": {\"address\": \"198.19.0.200/24\"}, \"dhcp\": {\"enabled\": true,"
                + " \"pool\": {\"start\": \"198.19.0.200\", \"end\": \"198.19.0.200\"}}}");
    assertEquals("dhcp.pool", e.key());
    assertTrue(e.getMessage().contains("bridge address"), e.getMessage());
  }

  @Test
  void emptyPoolIsRejected() {
    ConfigException e =
        bad(
            "{\"bridge\": {\"address\": \"198.19.0.1/24\"}, \"dhcp\": {\"enabled\": true,"
                + " \"pool\": {\"start\": \"198.19.0.20\", \"end\": \"198.19.0.10\"}}}");
    assertEquals("dhcp.pool", e.key());
  }

  @Test
  void badDurationAndDeclineLimitAreNamed() {
    assertEquals("dhcp.leaseTime", bad("{\"dhcp\": {\"leaseTime\": \"10 minutes\"}}").key());
    assertEquals("dhcp.declineLimit", bad("{\"dhcp\": {\"declineLimit\": \"3\"}}").key());
  }

  @Test
  void pingCheckIsOffByDefaultAndBoundedWhenSet() throws Exception {
    Path f = Path.of("/etc/ovpn-agent/agent.json");
    assertEquals(Duration.ZERO, ConfigLoader.parse("{}", f).dhcp().pingCheck());
    assertEquals(
        Duration.ofMillis(500),
        ConfigLoader.parse("{\"dhcp\": {\"pingCheck\": \"500ms\"}}", f).dhcp().pingCheck());
    for (String v : List.of("5ms", "6s", "30s", "soon")) {
      ConfigException e = bad("{\"dhcp\": {\"pingCheck\": \"" + v + "\"}}");
      assertEquals("dhcp.pingCheck", e.key(), v);
    }
    // a probe that outlasts the offer it guards makes no sense
    assertEquals(
        "dhcp.pingCheck",
        bad("{\"dhcp\": {\"pingCheck\": \"2s\", \"offerLifetime\": \"2s\"}}").key());
  }

  @Test
  void consoleIdleTimeoutDefaultsTo15MinutesAndIsNamedWhenBad() throws Exception {
    assertEquals(
        java.time.Duration.ofMinutes(15),
        ConfigLoader.parse("{}", Path.of("/etc/ovpn-agent/agent.json"))
            .control()
            .consoleIdleTimeout());
    assertEquals(
        java.time.Duration.ZERO,
        ConfigLoader.parse(
                "{\"control\": {\"consoleIdleTimeout\": \"0s\"}}",
                Path.of("/etc/ovpn-agent/agent.json"))
            .control()
            .consoleIdleTimeout());
    assertEquals(
        "control.consoleIdleTimeout",
        bad("{\"control\": {\"consoleIdleTimeout\": \"soon\"}}").key());
  }

  @Test
  void invalidJsonSaysWhere() {
    ConfigException e = bad("{\"dhcp\": {\"enabled\": tru}}");
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }
}
