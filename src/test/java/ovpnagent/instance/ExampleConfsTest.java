package ovpnagent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.config.AgentConfig;
import ovpnagent.config.ConfigLoader;
import ovpnagent.openvpn.conf.ConfFiles;
import ovpnagent.openvpn.conf.ManagementEndpoint;
import ovpnagent.openvpn.conf.ServerBridge;
import ovpnagent.openvpn.conf.ServerConf;
import ovpnagent.openvpn.conf.ServerConfParser;
import ovpnagent.openvpn.conf.Topology;

/** The shipped example OpenVPN configs (openvpn-conf/*.conf) parse, and mean what they say. */
class ExampleConfsTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("openvpn-conf");
  private static final Path INSTALLED = Path.of("/etc/openvpn/server");
  private static final String HOOKS = "/usr/local/lib/ovpn-agent/hooks/";

  /** Reads /etc/openvpn/server/X from openvpn-conf/X, as if installed. */
  private static final ConfFiles AS_INSTALLED =
      path -> ConfFiles.filesystem().read(EXAMPLES.resolve(INSTALLED.relativize(path)));

  private static ServerConf example(String name) throws Exception {
    assertTrue(Files.isRegularFile(EXAMPLES.resolve(name)), EXAMPLES.resolve(name).toString());
    return new ServerConfParser(AS_INSTALLED).parse(INSTALLED.resolve(name));
  }

  private static void commonAgentDirectives(ServerConf c, String sock) {
    ManagementEndpoint m = c.management();
    assertNotNull(m);
    assertEquals(ManagementEndpoint.Kind.UNIX, m.kind());
    assertEquals(Path.of("/run/openvpn-server/" + sock), m.unixPath());
    assertTrue(c.managementClientAuth());
    assertTrue(c.authUserPassOptional());
    assertEquals(2, c.scriptSecurity());
    assertEquals(Path.of(HOOKS + "learn-address"), c.learnAddress().program());
    assertEquals(Path.of(HOOKS + "up"), c.up().program());
    assertEquals(INSTALLED, c.directory());
  }

  @Test
  void routedTunExample() throws Exception {
    ServerConf c = example("server-routed-tun.conf");
    assertEquals(InstanceMode.ROUTED_TUN, ModeDecider.mode(c));
    assertEquals("tun0", c.dev());
    assertEquals(Topology.SUBNET, c.topology());
    commonAgentDirectives(c, "laptops.sock");
  }

  @Test
  void bridgedTapExample() throws Exception {
    ServerConf c = example("server-bridged-tap.conf");
    assertEquals(InstanceMode.BRIDGED_TAP, ModeDecider.mode(c));
    assertEquals("tap0", c.dev());
    assertEquals(ServerBridge.Form.DHCP_PROXY, c.serverBridge().form());
    assertEquals(null, c.ifconfig());
    commonAgentDirectives(c, "bridged.sock");
  }

  @Test
  void siteToSiteExample() throws Exception {
    ServerConf c = example("server-site-to-site.conf");
    assertEquals(InstanceMode.BRIDGED_TAP, ModeDecider.mode(c));
    assertEquals("tap1", c.dev());
    assertTrue(c.last("peer-fingerprint").inline());
    assertFalse(c.vlanTagging(), "vlan-tagging is only shown commented out");
    commonAgentDirectives(c, "sites.sock");
  }

  @Test
  void allThreeUnderOneAgentMakeACleanPlan() throws Exception {
    String json =
        """
        {
          "openvpn": {"configs": [
            {"config": "/etc/openvpn/server/server-routed-tun.conf", "name": "laptops",
             "routed": {"pool": "198.19.128.0/24"}},
            {"config": "/etc/openvpn/server/server-bridged-tap.conf", "name": "bridged"},
            {"config": "/etc/openvpn/server/server-site-to-site.conf", "name": "sites"}
          ]},
          "bridge": {"name": "br0", "address": "198.19.0.1/24"},
          "dhcp": {"enabled": true, "pool": {"start": "198.19.0.100", "end": "198.19.0.199"}}
        }
        """;
    AgentConfig config = ConfigLoader.parse(json, Path.of("/etc/ovpn-agent/agent.json"));
    AgentPlan plan = AgentPlan.build(config, new ServerConfParser(AS_INSTALLED));
    assertEquals(List.of(), plan.allWarnings(), PlanPrinter.render(plan));
    assertTrue(plan.dhcp().binds());
    assertEquals(List.of("bridged", "sites"), plan.dhcp().bridgedInstances());
    assertEquals(
        List.of(InstanceMode.ROUTED_TUN, InstanceMode.BRIDGED_TAP, InstanceMode.BRIDGED_TAP),
        plan.instances().stream().map(InstancePlan::mode).toList());
  }
}
