package ovpnagent.routed;

import java.util.ArrayList;
import java.util.List;
import ovpnagent.util.Ipv4;

/** Renders the {@code client-auth} body for a routed client (openvpn.md §2.6 table). */
public final class PushReply {
  private PushReply() {}

  /**
   * The body lines: {@code ifconfig-push ADDR MASK} (subnet) or {@code ifconfig-push LOCAL REMOTE}
   * (net30, p2p), followed by the instance's configured lines unchanged.
   */
  public static List<String> render(RoutedAllocator.Allocation a, List<String> extra) {
    List<String> out = new ArrayList<>(extra.size() + 1);
    out.add("ifconfig-push " + Ipv4.format(a.address()) + " " + Ipv4.format(a.second()));
    out.addAll(extra);
    return out;
  }
}
