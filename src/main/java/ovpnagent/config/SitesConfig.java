package ovpnagent.config;

import java.util.Map;
import ovpnagent.util.Cidr;

/**
 * Per-router subnets for multi-router site-to-site bridges ({@code sites.*}).
 *
 * @param routers router common name to its site
 * @param supernet if set, routers without an explicit subnet get one carved from it
 * @param prefixLength prefix length of carved subnets
 */
public record SitesConfig(Map<String, Site> routers, Cidr supernet, int prefixLength) {
  public SitesConfig {
    routers = Map.copyOf(routers);
  }

  /** No per-router subnets: every device is served from the bridge pool. */
  public static SitesConfig none() {
    return new SitesConfig(Map.of(), null, 0);
  }

  public boolean enabled() {
    return !routers.isEmpty() || supernet != null;
  }

  /**
   * One router's site.
   *
   * @param subnet the router's LAN subnet
   * @param gateway option 3 for devices behind it (null: first host of the subnet)
   */
  public record Site(Cidr subnet, Integer gateway) {}
}
