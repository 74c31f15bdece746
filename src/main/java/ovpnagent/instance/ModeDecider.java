package ovpnagent.instance;

import ovpnagent.openvpn.conf.DeviceKind;
import ovpnagent.openvpn.conf.ServerConf;

/**
 * Derives an instance's mode from its parsed config, following {@code openvpn.md} §7 "Mode
 * derivation": (1) a server iff {@code mode server}, {@code server} or {@code server-bridge}; (2)
 * the device kind from {@code dev-type}, else the {@code dev} prefix; (3) bridged TAP = TAP and
 * ({@code server-bridge} in any form, or {@code mode server} without {@code ifconfig}); (4) routed
 * TUN = TUN; (5) TAP + {@code server} = routed TAP, reported only. Pure: no I/O.
 */
public final class ModeDecider {
  private ModeDecider() {}

  /** The mode of {@code conf}. */
  public static InstanceMode mode(ServerConf conf) {
    return decide(conf).mode();
  }

  /** The mode of {@code conf} with the reason for it. */
  public static ModeDecision decide(ServerConf conf) {
    if (!conf.isServer()) {
      return new ModeDecision(
          InstanceMode.CLIENT_OR_UNKNOWN,
          conf.client()
              ? "a client config (client/tls-client)"
              : "not a multi-client server (no mode server, server or server-bridge)");
    }
    if (conf.server() != null && conf.serverBridge() != null) {
      return new ModeDecision(
          InstanceMode.CLIENT_OR_UNKNOWN,
          "server and server-bridge together (OpenVPN refuses to start)");
    }
    DeviceKind kind = conf.deviceKind();
    if (kind == DeviceKind.UNKNOWN) {
      return new ModeDecision(
          InstanceMode.CLIENT_OR_UNKNOWN,
          conf.dev() == null
              ? "no dev directive (mandatory in OpenVPN 2.6)"
              : "device '" + conf.dev() + "' is neither tun* nor tap* and there is no dev-type");
    }
    if (kind == DeviceKind.TAP) {
      if (conf.serverBridge() != null) {
        return new ModeDecision(InstanceMode.BRIDGED_TAP, "TAP device with " + conf.serverBridge());
      }
      if (conf.server() != null) {
        return new ModeDecision(
            InstanceMode.ROUTED_TAP, "TAP device with " + conf.server() + " (routed TAP)");
      }
      if (conf.ifconfig() == null) {
        return new ModeDecision(
            InstanceMode.BRIDGED_TAP, "TAP device with mode server and no ifconfig");
      }
      return new ModeDecision(
          InstanceMode.ROUTED_TAP, "TAP device with mode server and " + conf.ifconfig());
    }
    if (conf.serverBridge() != null) {
      return new ModeDecision(
          InstanceMode.CLIENT_OR_UNKNOWN,
          "server-bridge on a TUN device (OpenVPN needs dev tap for server-bridge)");
    }
    String how =
        conf.server() != null
            ? conf.server().toString()
            : conf.ifconfigPool() != null
                ? "mode server and " + conf.ifconfigPool()
                : "mode server";
    return new ModeDecision(
        InstanceMode.ROUTED_TUN,
        "TUN device with " + how + ", topology " + conf.topology().directive());
  }
}
