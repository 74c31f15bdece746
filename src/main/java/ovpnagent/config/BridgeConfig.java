package ovpnagent.config;

import java.util.List;
import ovpnagent.util.Cidr;

/**
 * The bridge the bridged TAP instances are enslaved to.
 *
 * @param name interface name ({@code bridge.name}, at most 15 bytes)
 * @param address the bridge's address and prefix; the DHCP server identifier
 * @param lanInterfaces physical interfaces also enslaved to the bridge
 * @param proxyArp whether proxy ARP is enabled on the bridge
 */
public record BridgeConfig(
    String name, Cidr address, List<String> lanInterfaces, boolean proxyArp) {
  public BridgeConfig {
    lanInterfaces = List.copyOf(lanInterfaces);
  }
}
