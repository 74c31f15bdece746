package ovpnagent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import ovpnagent.config.AgentConfig;
import ovpnagent.config.ConfigLoader;
import ovpnagent.openvpn.conf.ConfFiles;
import ovpnagent.openvpn.conf.ConfParseException;
import ovpnagent.openvpn.conf.ServerConfParser;
import ovpnagent.util.Ipv4;

class AgentPlanTest {
  private static final Path ETC = Path.of("/etc/openvpn/server");

  static final String BRIDGED =
      """
      dev tap0
      server-bridge
      management /run/openvpn-server/bridged.sock unix
      management-client-auth
      auth-user-pass-optional
      script-security 2
      learn-address /usr/local/lib/ovpn-agent/hooks/learn-address
      """;

  static final String ROUTED =
      """
      dev tun0
      topology subnet
      server 198.19.128.0 255.255.255.0
      management /run/openvpn-server/routed.sock unix
      management-client-auth
      auth-user-pass-optional
      """;

  private static final String DHCP_ON =
      """
      "bridge": {"name": "br0", "address": "198.19.0.1/24"},
      "dhcp": {"enabled": true, "pool": {"start": "198.19.0.100", "end": "198.19.0.199"}}
      """;

  private static final String DHCP_OFF =
      """
      "bridge": {"name": "br0", "address": "198.19.0.1/24"},
      "dhcp": {"enabled": false}
      """;

  private static final String BRIDGED_ENTRY =
      "{\"config\": \"bridged.conf\", \"name\": \"bridged\"}";
  private static final String ROUTED_ENTRY =
      "{\"config\": \"routed.conf\", \"name\": \"routed\", \"routed\": {\"pool\":"
          + " \"198.19.128.0/24\"}}";

  /** Builds a plan from agent JSON (instances relative to /etc/openvpn/server) and conf texts. */
  static AgentPlan plan(List<String> entries, String dhcp, Map<String, String> confs)
      throws Exception {
    String json =
        "{\"openvpn\": {\"configs\": [" + String.join(", ", entries) + "]},\n" + dhcp + "}";
    AgentConfig config = ConfigLoader.parse(json, ETC.resolve("agent.json"));
    Map<Path, String> files = new HashMap<>();
    confs.forEach((k, v) -> files.put(ETC.resolve(k), v));
    return AgentPlan.build(config, new ServerConfParser(ConfFiles.inMemory(files)));
  }

  private static AgentPlan bridged(String conf, String dhcp) throws Exception {
    return plan(List.of(BRIDGED_ENTRY), dhcp, Map.of("bridged.conf", conf));
  }

  private static AgentPlan routed(String conf, String dhcp) throws Exception {
    return plan(List.of(ROUTED_ENTRY), dhcp, Map.of("routed.conf", conf));
  }

  private static Set<PlanWarning.Kind> kinds(AgentPlan p) {
    return p.allWarnings().stream().map(PlanWarning::kind).collect(Collectors.toSet());
  }

  // --- the gate -------------------------------------------------------------------------------

  @Test
  void bridgedWithDhcpEnabledBinds() throws Exception {
    AgentPlan p = bridged(BRIDGED, DHCP_ON);
    assertEquals(InstanceMode.BRIDGED_TAP, p.instances().get(0).mode());
    assertTrue(p.dhcp().binds());
    assertEquals("br0", p.dhcp().bridge());
    assertEquals(Ipv4.parse("198.19.0.100"), p.dhcp().poolStart());
    assertEquals(List.of("bridged"), p.dhcp().bridgedInstances());
    assertEquals(List.of(), p.allWarnings(), "a complete bridged config has no warnings");
    assertTrue(
        PlanPrinter.render(p).contains("would bind UDP/67 on br0 (pool 198.19.0.100-198.19.0.199)"),
        PlanPrinter.render(p));
  }

  @Test
  void bridgedWithDhcpDisabledDoesNotBind() throws Exception {
    AgentPlan p = bridged(BRIDGED, DHCP_OFF);
    assertEquals(InstanceMode.BRIDGED_TAP, p.instances().get(0).mode());
    assertFalse(p.dhcp().binds());
    assertEquals("dhcp.enabled is false: an upstream server owns DHCP on br0", p.dhcp().reason());
    assertEquals(List.of(), p.allWarnings());
    assertTrue(PlanPrinter.render(p).contains("dhcp: will not bind: dhcp.enabled is false"));
  }

  @Test
  void routedOnlyWithDhcpEnabledDoesNotBindAndWarns() throws Exception {
    AgentPlan p = routed(ROUTED, DHCP_ON);
    assertEquals(InstanceMode.ROUTED_TUN, p.instances().get(0).mode());
    assertFalse(p.dhcp().binds());
    assertTrue(p.dhcp().reason().startsWith("no bridged-tap instance"), p.dhcp().reason());
    assertEquals(Set.of(PlanWarning.Kind.DHCP_WITHOUT_BRIDGED), kinds(p));
    assertEquals(1, p.warnings().size(), "an agent-wide warning");
    String text = PlanPrinter.render(p);
    assertTrue(text.contains("dhcp: will not bind: no bridged-tap instance"), text);
    assertTrue(text.contains("warning: dhcp.enabled is true but no instance is bridged-tap"), text);
  }

  @Test
  void routedOnlyWithDhcpDisabledDoesNotBind() throws Exception {
    AgentPlan p = routed(ROUTED, DHCP_OFF);
    assertFalse(p.dhcp().binds());
    assertEquals("no bridged-tap instance, and dhcp.enabled is false", p.dhcp().reason());
    assertEquals(List.of(), p.allWarnings());
  }

  @Test
  void mixedInstancesBindForTheBridgedOne() throws Exception {
    AgentPlan p =
        plan(
            List.of(ROUTED_ENTRY, BRIDGED_ENTRY),
            DHCP_ON,
            Map.of("routed.conf", ROUTED, "bridged.conf", BRIDGED));
    assertTrue(p.dhcp().binds());
    assertEquals(List.of("bridged"), p.dhcp().bridgedInstances());
    assertEquals(1, p.bridgedTap().size());
    assertEquals(1, p.routedTun().size());
    assertEquals(List.of(), p.allWarnings());
  }

  @Test
  void notAServerIsIgnoredAndNeverBinds() throws Exception {
    AgentPlan p = bridged("client\ndev tap0\nremote 198.18.0.1\n", DHCP_ON);
    assertEquals(InstanceMode.CLIENT_OR_UNKNOWN, p.instances().get(0).mode());
    assertFalse(p.dhcp().binds());
    assertEquals(
        Set.of(PlanWarning.Kind.NOT_A_SERVER, PlanWarning.Kind.DHCP_WITHOUT_BRIDGED), kinds(p));
  }

  @Test
  void routedTapIsReportedOnly() throws Exception {
    AgentPlan p =
        bridged(BRIDGED.replace("server-bridge", "server 198.19.0.0 255.255.255.0"), DHCP_ON);
    assertEquals(InstanceMode.ROUTED_TAP, p.instances().get(0).mode());
    assertFalse(p.dhcp().binds());
    assertTrue(kinds(p).contains(PlanWarning.Kind.ROUTED_TAP));
  }

  // --- warnings -------------------------------------------------------------------------------

  @Test
  void clientAuthWithoutUserPassOptional() throws Exception {
    AgentPlan p = bridged(BRIDGED.replace("auth-user-pass-optional\n", ""), DHCP_ON);
    assertEquals(Set.of(PlanWarning.Kind.CLIENT_AUTH_WITHOUT_USER_PASS_OPTIONAL), kinds(p));
    PlanWarning w = p.allWarnings().get(0);
    assertEquals("bridged", w.instance());
    assertTrue(w.message().contains("certificate only"), w.message());
    assertTrue(p.dhcp().binds(), "a warning does not close the gate");
  }

  @Test
  void bridgedWithoutClientAuth() throws Exception {
    AgentPlan p = bridged(BRIDGED.replace("management-client-auth\n", ""), DHCP_ON);
    assertEquals(Set.of(PlanWarning.Kind.BRIDGED_WITHOUT_CLIENT_AUTH), kinds(p));
  }

  @Test
  void noManagement() throws Exception {
    AgentPlan p =
        bridged(BRIDGED.replace("management /run/openvpn-server/bridged.sock unix\n", ""), DHCP_ON);
    assertEquals(Set.of(PlanWarning.Kind.NO_MANAGEMENT), kinds(p));
    assertTrue(PlanPrinter.render(p).contains("management:    none"), PlanPrinter.render(p));
  }

  @Test
  void routedWithoutPoolWhileClientAuth() throws Exception {
    String entry = "{\"config\": \"routed.conf\", \"name\": \"routed\"}";
    AgentPlan own = plan(List.of(entry), DHCP_OFF, Map.of("routed.conf", ROUTED));
    assertEquals(Set.of(PlanWarning.Kind.ROUTED_WITHOUT_POOL), kinds(own));
    assertTrue(own.allWarnings().get(0).message().contains("OpenVPN's own pool"));
    AgentPlan none =
        plan(
            List.of(entry),
            DHCP_OFF,
            Map.of("routed.conf", ROUTED.replace("255.255.255.0", "255.255.255.0 nopool")));
    assertTrue(none.allWarnings().get(0).message().contains("clients would get no address"));
    AgentPlan noAuth =
        plan(
            List.of(entry),
            DHCP_OFF,
            Map.of("routed.conf", ROUTED.replace("management-client-auth\n", "")));
    assertEquals(Set.of(), kinds(noAuth), "without client auth OpenVPN assigns addresses itself");
  }

  @Test
  void bridgedWithIfconfig() throws Exception {
    AgentPlan p = bridged(BRIDGED + "ifconfig 198.19.0.2 255.255.255.0\n", DHCP_ON);
    assertEquals(Set.of(PlanWarning.Kind.BRIDGED_WITH_IFCONFIG), kinds(p));
  }

  @Test
  void bridgedWithoutLearnAddress() throws Exception {
    AgentPlan p =
        bridged(
            BRIDGED.replace("learn-address /usr/local/lib/ovpn-agent/hooks/learn-address\n", ""),
            DHCP_ON);
    assertEquals(Set.of(PlanWarning.Kind.NO_LEARN_ADDRESS), kinds(p));
    assertTrue(p.allWarnings().get(0).message().contains("status 3"));
  }

  @Test
  void learnAddressWithoutScriptSecurity2() throws Exception {
    AgentPlan p = bridged(BRIDGED.replace("script-security 2\n", ""), DHCP_ON);
    assertEquals(Set.of(PlanWarning.Kind.SCRIPT_SECURITY_TOO_LOW), kinds(p));
  }

  @Test
  void routedPoolOverlappingTheDhcpPool() throws Exception {
    String entry =
        "{\"config\": \"routed.conf\", \"name\": \"routed\", \"routed\": {\"pool\":"
            + " \"198.19.0.128/25\"}}";
    String conf = ROUTED.replace("198.19.128.0", "198.19.0.0");
    AgentPlan p =
        plan(
            List.of(entry, BRIDGED_ENTRY),
            DHCP_ON,
            Map.of("routed.conf", conf, "bridged.conf", BRIDGED));
    assertEquals(Set.of(PlanWarning.Kind.ROUTED_POOL_OVERLAPS_DHCP), kinds(p));
    AgentPlan disjoint =
        plan(
            List.of(entry.replace("198.19.0.128/25", "198.19.0.0/26"), BRIDGED_ENTRY),
            DHCP_ON,
            Map.of("routed.conf", conf, "bridged.conf", BRIDGED));
    assertEquals(Set.of(), kinds(disjoint));
  }

  @Test
  void routedPoolOutsideTheServerNetwork() throws Exception {
    String entry =
        "{\"config\": \"routed.conf\", \"name\": \"routed\", \"routed\": {\"pool\":"
            + " \"198.19.129.0/24\"}}";
    AgentPlan p = plan(List.of(entry), DHCP_OFF, Map.of("routed.conf", ROUTED));
    assertEquals(Set.of(PlanWarning.Kind.ROUTED_POOL_OUTSIDE_SERVER_NET), kinds(p));
  }

  @Test
  void bridgePoolOverlappingTheDhcpPool() throws Exception {
    AgentPlan p =
        bridged(
            BRIDGED.replace(
                "server-bridge",
                "server-bridge 198.19.0.1 255.255.255.0 198.19.0.150 198.19.0.160"),
            DHCP_ON);
    assertEquals(Set.of(PlanWarning.Kind.BRIDGE_POOL_OVERLAPS_DHCP), kinds(p));
    AgentPlan ok =
        bridged(
            BRIDGED.replace(
                "server-bridge", "server-bridge 198.19.0.1 255.255.255.0 198.19.0.20 198.19.0.49"),
            DHCP_ON);
    assertEquals(Set.of(), kinds(ok));
  }

  @Test
  void twoInstancesOnOneManagementEndpoint() throws Exception {
    String second = "{\"config\": \"bridged2.conf\", \"name\": \"bridged2\"}";
    AgentPlan p =
        plan(
            List.of(BRIDGED_ENTRY, second),
            DHCP_ON,
            Map.of("bridged.conf", BRIDGED, "bridged2.conf", BRIDGED.replace("tap0", "tap1")));
    assertEquals(Set.of(PlanWarning.Kind.SHARED_MANAGEMENT_ENDPOINT), kinds(p));
    assertTrue(p.warnings().get(0).message().contains("bridged, bridged2"));
    AgentPlan dev =
        plan(
            List.of(BRIDGED_ENTRY, second),
            DHCP_ON,
            Map.of(
                "bridged.conf",
                BRIDGED,
                "bridged2.conf",
                BRIDGED.replace("bridged.sock", "b2.sock")));
    assertEquals(Set.of(PlanWarning.Kind.SHARED_DEVICE), kinds(dev));
  }

  @Test
  void managementOnANonLoopbackTcpPort() throws Exception {
    String tcp = "management 198.18.0.1 7505 /etc/openvpn/server/mgmt.pw";
    AgentPlan p =
        bridged(BRIDGED.replace("management /run/openvpn-server/bridged.sock unix", tcp), DHCP_ON);
    assertEquals(Set.of(PlanWarning.Kind.MANAGEMENT_NOT_LOOPBACK), kinds(p));
    AgentPlan lo =
        bridged(
            BRIDGED.replace(
                "management /run/openvpn-server/bridged.sock unix", "management 127.0.0.1 7505"),
            DHCP_ON);
    assertEquals(Set.of(), kinds(lo));
    assertTrue(PlanPrinter.render(lo).contains("tcp:127.0.0.1:7505 (no password)"));
  }

  @Test
  void devTapWithoutUnitAndDuplicateCn() throws Exception {
    AgentPlan p = bridged(BRIDGED.replace("dev tap0", "dev tap") + "duplicate-cn\n", DHCP_ON);
    assertEquals(
        Set.of(PlanWarning.Kind.DEV_WITHOUT_UNIT, PlanWarning.Kind.DUPLICATE_CN), kinds(p));
  }

  @Test
  void routedPoolOnABridgedInstanceIsUnused() throws Exception {
    String entry =
        "{\"config\": \"bridged.conf\", \"name\": \"bridged\", \"routed\": {\"pool\":"
            + " \"198.19.128.0/24\"}}";
    AgentPlan p = plan(List.of(entry), DHCP_ON, Map.of("bridged.conf", BRIDGED));
    assertEquals(Set.of(PlanWarning.Kind.ROUTED_POOL_UNUSED), kinds(p));
  }

  @Test
  void logsModesGateAndWarnings() throws Exception {
    AgentPlan p = routed(ROUTED, DHCP_ON);
    org.slf4j.Logger log = org.mockito.Mockito.mock(org.slf4j.Logger.class);
    PlanPrinter.log(p, log);
    List<String> events =
        org.mockito.Mockito.mockingDetails(log).getInvocations().stream()
            .map(i -> i.getMethod().getName() + " " + i.getArgument(0).toString().split(" ")[0])
            .toList();
    assertEquals(
        List.of("info event=instance_mode", "info event=dhcp_gate", "warn event=plan_warning"),
        events);
    org.mockito.Mockito.verify(log)
        .info(
            org.mockito.ArgumentMatchers.startsWith("event=dhcp_gate"),
            org.mockito.ArgumentMatchers.eq(false),
            org.mockito.ArgumentMatchers.eq("br0"),
            org.mockito.ArgumentMatchers.startsWith("no bridged-tap instance"));
    org.mockito.Mockito.verify(log)
        .warn(
            org.mockito.ArgumentMatchers.startsWith("event=plan_warning"),
            org.mockito.ArgumentMatchers.eq("-"),
            org.mockito.ArgumentMatchers.eq(PlanWarning.Kind.DHCP_WITHOUT_BRIDGED),
            org.mockito.ArgumentMatchers.anyString());
  }

  // --- errors and output ----------------------------------------------------------------------

  @Test
  void configParseErrorsNameFileAndLine() {
    ConfParseException e =
        assertThrows(
            ConfParseException.class,
            () -> bridged("dev tap0\nserver-bridge 198.19.0.1\n", DHCP_ON));
    assertEquals(ETC.resolve("bridged.conf"), e.file());
    assertEquals(2, e.line());
    assertThrows(ConfParseException.class, () -> plan(List.of(BRIDGED_ENTRY), DHCP_ON, Map.of()));
  }

  @Test
  void printerShowsEveryInstanceThenTheGateThenWarnings() throws Exception {
    AgentPlan p =
        plan(
            List.of(ROUTED_ENTRY, BRIDGED_ENTRY),
            DHCP_ON,
            Map.of(
                "routed.conf",
                ROUTED,
                "bridged.conf",
                BRIDGED.replace("auth-user-pass-optional\n", "")));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PlanPrinter.print(p, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String text = bytes.toString(StandardCharsets.UTF_8);
    String expected =
        """
instance routed
  config:        /etc/openvpn/server/routed.conf
  mode:          routed-tun (TUN device with server 198.19.128.0 255.255.255.0, topology subnet)
  device:        tun0 (tun, topology subnet)
  management:    unix:/run/openvpn-server/routed.sock (no password)
  client auth:   management-client-auth, auth-user-pass-optional
  routed pool:   198.19.128.0/24
instance bridged
  config:        /etc/openvpn/server/bridged.conf
  mode:          bridged-tap (TAP device with server-bridge)
  device:        tap0 (tap)
  management:    unix:/run/openvpn-server/bridged.sock (no password)
  client auth:   management-client-auth
  learn-address: /usr/local/lib/ovpn-agent/hooks/learn-address
dhcp: would bind UDP/67 on br0 (pool 198.19.0.100-198.19.0.199): bridged-tap instance bridged and dhcp.enabled is true
warnings: 1
  warning: [bridged] management-client-auth without auth-user-pass-optional: clients that authenticate with a certificate only (routers) are refused in TLS ('Auth Username/Password was not provided by peer')
""";
    assertEquals(expected, text);
  }
}
