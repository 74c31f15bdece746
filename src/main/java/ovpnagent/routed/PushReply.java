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
    StringBuilder line = new StringBuilder(46).append("ifconfig-push ");
    dotted(line, a.address()).append(' ');
    out.add(dotted(line, a.second()).toString());
    out.addAll(extra);
    return out;
  }

  /**
   * Appends the address as {@link Ipv4#format} does, into one builder per line (hot per client).
   */
  private static StringBuilder dotted(StringBuilder sb, int addr) {
    return sb.append((addr >>> 24) & 0xff)
        .append('.')
        .append((addr >>> 16) & 0xff)
        .append('.')
        .append((addr >>> 8) & 0xff)
        .append('.')
        .append(addr & 0xff);
  }
}
