package ovpnagent.dhcp.codec.option;

import java.util.ArrayList;
import java.util.List;
import ovpnagent.util.Cidr;

/**
 * Option 121, classless static routes (RFC 3442 §2): each route is the prefix length, the
 * significant octets of the destination, then the 4-byte router. RFC 3442 §2 also says a client
 * that receives option 121 ignores option 3, so a server that sends 121 should include the default
 * route in it.
 */
public final class ClasslessRoutes {
  /**
   * One route.
   *
   * @param destination the destination network (host bits are dropped on encode)
   * @param router the next hop as an IPv4 int (0 = on-link)
   */
  public record Route(Cidr destination, int router) {}

  private ClasslessRoutes() {}

  /** The option 121 body for these routes, in order. */
  public static byte[] encode(List<Route> routes) {
    int len = 0;
    for (Route r : routes) {
      len += 1 + significant(r.destination().prefix()) + 4;
    }
    byte[] b = new byte[len];
    int p = 0;
    for (Route r : routes) {
      int prefix = r.destination().prefix();
      int net = r.destination().network();
      b[p++] = (byte) prefix;
      for (int i = 0; i < significant(prefix); i++) {
        b[p++] = (byte) (net >>> (24 - 8 * i));
      }
      for (int i = 0; i < 4; i++) {
        b[p++] = (byte) (r.router() >>> (24 - 8 * i));
      }
    }
    return b;
  }

  /** Parses an option 121 body; null if it is empty, truncated or has a prefix above 32. */
  public static List<Route> decode(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    List<Route> out = new ArrayList<>();
    int p = 0;
    while (p < body.length) {
      int prefix = body[p++] & 0xff;
      if (prefix > 32 || p + significant(prefix) + 4 > body.length) {
        return null;
      }
      int net = 0;
      for (int i = 0; i < 4; i++) {
        net = (net << 8) | (i < significant(prefix) ? body[p + i] & 0xff : 0);
      }
      p += significant(prefix);
      int router = 0;
      for (int i = 0; i < 4; i++) {
        router = (router << 8) | (body[p++] & 0xff);
      }
      out.add(new Route(new Cidr(net, prefix), router));
    }
    return out;
  }

  private static int significant(int prefix) {
    return (prefix + 7) / 8;
  }
}
