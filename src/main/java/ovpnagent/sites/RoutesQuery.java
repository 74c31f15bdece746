package ovpnagent.sites;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import ovpnagent.util.HwAddr;

/**
 * Asks one bridged OpenVPN instance for its learned MACs ({@code status 3} ROUTING_TABLE, MAC rows
 * only, {@code @vid} stripped): MAC → common name. The seam between the resolver and the management
 * client.
 */
@FunctionalInterface
public interface RoutesQuery {
  /** The instance's whole MAC table; fails if the instance is not connected. */
  CompletableFuture<Map<HwAddr, String>> query();
}
