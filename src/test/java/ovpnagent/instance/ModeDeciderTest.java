package ovpnagent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ovpnagent.openvpn.conf.ConfFiles;
import ovpnagent.openvpn.conf.ServerConf;
import ovpnagent.openvpn.conf.ServerConfParser;

/** openvpn.md §7 "Mode derivation", one row per case. */
class ModeDeciderTest {
  private static final Path FILE = Path.of("/etc/openvpn/server/t.conf");

  static Stream<Arguments> table() {
    return Stream.of(
        row(
            "tap + server-bridge (DHCP proxy)",
            "dev tap0\nserver-bridge",
            InstanceMode.BRIDGED_TAP,
            "server-bridge"),
        row(
            "tap + server-bridge nogw",
            "dev tap0\nserver-bridge nogw",
            InstanceMode.BRIDGED_TAP,
            "nogw"),
        row(
            "tap + server-bridge pool",
            "dev tap0\nserver-bridge 198.19.0.1 255.255.255.0 198.19.0.20 198.19.0.49",
            InstanceMode.BRIDGED_TAP,
            "198.19.0.20"),
        row(
            "tap + mode server, no ifconfig",
            "dev tap0\nmode server\ntls-server",
            InstanceMode.BRIDGED_TAP,
            "no ifconfig"),
        row(
            "tap + mode server + ifconfig",
            "dev tap0\nmode server\nifconfig 198.19.0.1 255.255.255.0",
            InstanceMode.ROUTED_TAP,
            "ifconfig"),
        row(
            "tap + server = routed tap",
            "dev tap0\nserver 198.19.0.0 255.255.255.0",
            InstanceMode.ROUTED_TAP,
            "routed TAP"),
        row(
            "dev-type tap overrides the name",
            "dev vpn0\ndev-type tap\nserver-bridge",
            InstanceMode.BRIDGED_TAP,
            "TAP"),
        row(
            "dev-type tun overrides a tap name",
            "dev tap5\ndev-type tun\nserver 198.19.128.0 255.255.255.0",
            InstanceMode.ROUTED_TUN,
            "TUN"),
        row(
            "tun + server",
            "dev tun0\nserver 198.19.128.0 255.255.255.0",
            InstanceMode.ROUTED_TUN,
            "net30"),
        row(
            "tun + server + topology subnet",
            "dev tun0\ntopology subnet\nserver 198.19.128.0 255.255.255.0",
            InstanceMode.ROUTED_TUN,
            "subnet"),
        row(
            "tun + mode server + ifconfig-pool",
            "dev tun0\n"
                + "mode server\n"
                + "ifconfig 198.19.128.1 198.19.128.2\n"
                + "ifconfig-pool 198.19.128.4 198.19.128.251",
            InstanceMode.ROUTED_TUN,
            "ifconfig-pool"),
        row(
            "dev null counts as tun",
            "dev null\nserver 198.19.128.0 255.255.255.0",
            InstanceMode.ROUTED_TUN,
            "TUN"),
        row(
            "tun + server-bridge is refused by OpenVPN",
            "dev tun0\nserver-bridge",
            InstanceMode.CLIENT_OR_UNKNOWN,
            "needs dev tap"),
        row(
            "server and server-bridge together",
            "dev tap0\nserver 198.19.0.0 255.255.255.0\nserver-bridge",
            InstanceMode.CLIENT_OR_UNKNOWN,
            "together"),
        row(
            "client config",
            "client\ndev tap0\nremote 198.18.0.1 1194",
            InstanceMode.CLIENT_OR_UNKNOWN,
            "client"),
        row(
            "tls-server alone is not multi-client",
            "dev tap0\ntls-server",
            InstanceMode.CLIENT_OR_UNKNOWN,
            "not a multi-client server"),
        row(
            "mode p2p",
            "dev tun0\nmode p2p\nifconfig 198.19.1.1 198.19.1.2",
            InstanceMode.CLIENT_OR_UNKNOWN,
            "not a multi-client"),
        row(
            "last mode wins",
            "dev tap0\nmode server\nmode p2p",
            InstanceMode.CLIENT_OR_UNKNOWN,
            "not a multi-client"),
        row("no dev", "server-bridge", InstanceMode.CLIENT_OR_UNKNOWN, "no dev"),
        row(
            "unknown device prefix",
            "dev vpn0\nserver-bridge",
            InstanceMode.CLIENT_OR_UNKNOWN,
            "neither tun"));
  }

  private static Arguments row(String name, String conf, InstanceMode mode, String reasonPart) {
    return Arguments.of(name, conf, mode, reasonPart);
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("table")
  void decides(String name, String conf, InstanceMode mode, String reasonPart) throws Exception {
    ServerConf c = new ServerConfParser(ConfFiles.inMemory(Map.of(FILE, conf + "\n"))).parse(FILE);
    ModeDecision d = ModeDecider.decide(c);
    assertEquals(mode, d.mode(), name + ": " + d.reason());
    assertEquals(mode, ModeDecider.mode(c));
    assertTrue(d.reason().contains(reasonPart), name + ": reason '" + d.reason() + "'");
  }
}
