package ovpnagent.util;

/**
 * An IPv4 address with a prefix length, as in {@code 198.19.0.1/24}. The address part is kept (an
 * interface address), {@link #network()} gives the network.
 */
public record Cidr(int address, int prefix) {
  public Cidr {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix length out of range: " + prefix);
    }
  }

  /**
   * Parses {@code a.b.c.d/nn}.
   *
   * @throws IllegalArgumentException naming the bad text
   */
  public static Cidr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing CIDR");
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR (expected a.b.c.d/len): '" + text + "'");
    }
    String len = text.substring(slash + 1).trim();
    if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("bad prefix length in '" + text + "'");
    }
    int prefix = Integer.parseInt(len);
    if (prefix > 32) {
      throw new IllegalArgumentException("bad prefix length in '" + text + "'");
    }
    return new Cidr(Ipv4.parse(text.substring(0, slash)), prefix);
  }

  public int mask() {
    return Ipv4.mask(prefix);
  }

  public int network() {
    return address & mask();
  }

  public int broadcast() {
    return network() | ~mask();
  }

  /** True if {@code addr} lies in this network (network and broadcast addresses included). */
  public boolean contains(int addr) {
    return (addr & mask()) == network();
  }

  /** True if {@code addr} is a usable host address of this network (not network, not broadcast). */
  public boolean isHost(int addr) {
    if (!contains(addr)) {
      return false;
    }
    if (prefix >= 31) {
      return true;
    }
    return addr != network() && addr != broadcast();
  }

  /** Number of addresses in the network. */
  public long size() {
    return 1L << (32 - prefix);
  }

  @Override
  public String toString() {
    return Ipv4.format(address) + "/" + prefix;
  }
}
