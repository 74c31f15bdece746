package ovpnagent.instance;

import java.util.List;

/**
 * The gate's outcome: the DHCP server is bound (UDP/67 on the bridge) iff at least one instance is
 * bridged-TAP and {@code dhcp.enabled} is true.
 *
 * @param binds whether the DHCP server is constructed and UDP/67 bound
 * @param bridge the bridge it binds on ({@code bridge.name})
 * @param poolStart first DHCP pool address (meaningful when {@code binds})
 * @param poolEnd last DHCP pool address (meaningful when {@code binds})
 * @param reason why it binds or why not
 * @param bridgedInstances names of the bridged-TAP instances
 */
public record DhcpGate(
    boolean binds,
    String bridge,
    int poolStart,
    int poolEnd,
    String reason,
    List<String> bridgedInstances) {
  public DhcpGate {
    bridgedInstances = List.copyOf(bridgedInstances);
  }
}
