package ovpnagent.openvpn.mgmt;

import java.util.List;
import ovpnagent.openvpn.mgmt.protocol.StatusSnapshot;

/**
 * Told about routers of a bridged-TAP instance (the MAC→router map of issue 4 listens here). Calls
 * come from the instance's worker thread and must return quickly.
 */
public interface RouterListener {
  /** A router was allowed or (re)established. */
  default void onRouterUp(RouterTable.Router router) {}

  /** No session with this common name is left: drop its learned MACs. */
  default void onRouterGone(String commonName) {}

  /** The {@code status 3} ROUTING_TABLE after a (re)connect: the resync source for MAC→router. */
  default void onRoutingTable(long epoch, List<StatusSnapshot.RouteRow> rows) {}
}
