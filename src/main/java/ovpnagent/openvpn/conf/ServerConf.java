package ovpnagent.openvpn.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent needs to know about one OpenVPN server config, as parsed by {@link
 * ServerConfParser}. Scalars hold the last occurrence; {@code push} and {@code route} accumulate.
 * Paths are absolute. Absent directives are null (objects) or false/defaults.
 *
 * @param source the top config file
 * @param directory the directory current at the end of parsing (after every {@code cd})
 * @param dev {@code dev}, or null
 * @param devType {@code dev-type}, or null
 * @param deviceKind TUN/TAP from {@code dev-type}, else the {@code dev} prefix
 * @param modeServer {@code mode server} is in effect
 * @param tlsServer {@code tls-server} is present
 * @param client {@code client} or {@code tls-client} is present
 * @param server the {@code server} directive, or null
 * @param serverBridge the {@code server-bridge} directive, or null
 * @param ifconfig {@code ifconfig}, or null
 * @param ifconfigPool {@code ifconfig-pool}, or null
 * @param topology the effective topology ({@link Topology#DEFAULT} if not set)
 * @param topologyExplicit whether {@code topology} was written
 * @param management the management endpoint, or null
 * @param managementClientAuth {@code management-client-auth}
 * @param authUserPassOptional {@code auth-user-pass-optional}
 * @param managementHold {@code management-hold}
 * @param learnAddress {@code learn-address}, or null
 * @param scriptSecurity {@code script-security} (default 1)
 * @param vlanTagging {@code vlan-tagging}
 * @param clientConfigDir {@code client-config-dir}, or null
 * @param up {@code up}, or null
 * @param duplicateCn {@code duplicate-cn}
 * @param push every {@code push} argument, in order
 * @param routes every {@code route} line's arguments joined by a space, in order
 * @param options every option read (inline blocks without their content), in order
 */
public record ServerConf(
    Path source,
    Path directory,
    String dev,
    String devType,
    DeviceKind deviceKind,
    boolean modeServer,
    boolean tlsServer,
    boolean client,
    ServerDirective server,
    ServerBridge serverBridge,
    Ifconfig ifconfig,
    IfconfigPool ifconfigPool,
    Topology topology,
    boolean topologyExplicit,
    ManagementEndpoint management,
    boolean managementClientAuth,
    boolean authUserPassOptional,
    boolean managementHold,
    ScriptCommand learnAddress,
    int scriptSecurity,
    boolean vlanTagging,
    Path clientConfigDir,
    ScriptCommand up,
    boolean duplicateCn,
    List<String> push,
    List<String> routes,
    List<ConfOption> options) {

  public ServerConf {
    push = List.copyOf(push);
    routes = List.copyOf(routes);
    options = List.copyOf(options);
  }

  /** True if OpenVPN runs this config as a multi-client server ({@code openvpn.md} §7 rule 1). */
  public boolean isServer() {
    return modeServer || server != null || serverBridge != null;
  }

  /** The last occurrence of option {@code name}, or null. */
  public ConfOption last(String name) {
    for (int i = options.size() - 1; i >= 0; i--) {
      if (options.get(i).name().equals(name)) {
        return options.get(i);
      }
    }
    return null;
  }

  /** True if option {@code name} occurs at least once. */
  public boolean has(String name) {
    return last(name) != null;
  }

  /** A one-line summary (no option dump, no secrets). */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add("source=" + source);
    parts.add("dev=" + dev + (devType != null ? " dev-type=" + devType : ""));
    parts.add("kind=" + deviceKind);
    if (modeServer) {
      parts.add("mode=server");
    }
    if (server != null) {
      parts.add(server.toString());
    }
    if (serverBridge != null) {
      parts.add(serverBridge.toString());
    }
    if (ifconfig != null) {
      parts.add(ifconfig.toString());
    }
    if (ifconfigPool != null) {
      parts.add(ifconfigPool.toString());
    }
    parts.add("topology=" + topology.directive() + (topologyExplicit ? "" : " (default)"));
    parts.add("management=" + management);
    parts.add("management-client-auth=" + managementClientAuth);
    parts.add("auth-user-pass-optional=" + authUserPassOptional);
    if (learnAddress != null) {
      parts.add("learn-address=" + learnAddress);
    }
    parts.add("script-security=" + scriptSecurity);
    if (vlanTagging) {
      parts.add("vlan-tagging");
    }
    if (clientConfigDir != null) {
      parts.add("client-config-dir=" + clientConfigDir);
    }
    if (up != null) {
      parts.add("up=" + up);
    }
    if (duplicateCn) {
      parts.add("duplicate-cn");
    }
    parts.add("push=" + push.size());
    return "ServerConf[" + String.join(", ", parts) + "]";
  }
}
