package ovpnagent.util;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 address arithmetic on {@code int} values (network order as an unsigned 32-bit number). */
public final class Ipv4 {
  private Ipv4() {}

  /**
   * Parses a dotted quad strictly (four decimal octets 0-255, no leading '+', no host names).
   *
   * @throws IllegalArgumentException naming the bad text
   */
  public static int parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing IPv4 address");
    }
    String[] parts = text.trim().split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
    }
    int value = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  /** Formats an address as a dotted quad. */
  public static String format(int addr) {
    return ((addr >>> 24) & 0xff)
        + "."
        + ((addr >>> 16) & 0xff)
        + "."
        + ((addr >>> 8) & 0xff)
        + "."
        + (addr & 0xff);
  }

  /** The netmask for a prefix length 0-32. */
  public static int mask(int prefix) {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix length out of range: " + prefix);
    }
    return prefix == 0 ? 0 : (int) (0xffffffffL << (32 - prefix));
  }

  /** The prefix length of a contiguous netmask, or -1 if the mask is not contiguous. */
  public static int prefixOf(int mask) {
    int prefix = Integer.bitCount(mask);
    return mask(prefix) == mask ? prefix : -1;
  }

  /** Unsigned comparison of two addresses. */
  public static int compare(int a, int b) {
    return Integer.compareUnsigned(a, b);
  }

  /** Address as an unsigned long. */
  public static long unsigned(int addr) {
    return addr & 0xffffffffL;
  }

  /** Converts to a JDK address. */
  public static Inet4Address toInet(int addr) {
    byte[] b = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Converts from a JDK address. */
  public static int fromInet(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length != 4) {
      throw new IllegalArgumentException("not IPv4: " + address);
    }
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }
}
