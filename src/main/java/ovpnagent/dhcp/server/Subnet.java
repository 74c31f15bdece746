package ovpnagent.dhcp.server;

import java.time.Duration;
import java.util.List;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.util.Cidr;

/**
 * One network the server leases from: its prefix, its pool, the server identifier clients see, and
 * the option values handed out (RFC 2132 §3). The bridge has one; multi-router sites add one per
 * router behind the same allocator.
 */
public final class Subnet {
  private final String name;
  private final Cidr network;
  private final int serverId;
  private final AddressPool pool;
  private final long leaseSeconds;
  private final byte[][] optionBodies = new byte[256][];

  /**
   * A subnet.
   *
   * @param name for logs and status ({@code bridge}, or a router's name)
   * @param network the prefix (option 1 comes from it)
   * @param poolStart first pool address
   * @param poolEnd last pool address, inclusive
   * @param serverId option 54
   * @param routers option 3 (may be empty)
   * @param dnsServers option 6 (may be empty)
   * @param domainName option 15, or null
   * @param leaseTime option 51
   */
  public Subnet(
      String name,
      Cidr network,
      int poolStart,
      int poolEnd,
      int serverId,
      List<Integer> routers,
      List<Integer> dnsServers,
      String domainName,
      Duration leaseTime) {
    this.name = name;
    this.network = new Cidr(network.network(), network.prefix());
    this.serverId = serverId;
    this.pool = new AddressPool(poolStart, poolEnd);
    this.leaseSeconds = Math.min(leaseTime.toSeconds(), 0xfffffffeL);
    optionBodies[OptionCode.SUBNET_MASK] = ipv4s(List.of(network.mask()));
    if (!routers.isEmpty()) {
      optionBodies[OptionCode.ROUTER] = ipv4s(routers);
    }
    if (!dnsServers.isEmpty()) {
      optionBodies[OptionCode.DNS_SERVERS] = ipv4s(dnsServers);
    }
    if (domainName != null && !domainName.isEmpty()) {
      optionBodies[OptionCode.DOMAIN_NAME] =
          domainName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  private static byte[] ipv4s(List<Integer> list) {
    byte[] b = new byte[list.size() * 4];
    for (int i = 0; i < list.size(); i++) {
      int v = list.get(i);
      b[4 * i] = (byte) (v >>> 24);
      b[4 * i + 1] = (byte) (v >>> 16);
      b[4 * i + 2] = (byte) (v >>> 8);
      b[4 * i + 3] = (byte) v;
    }
    return b;
  }

  /** The name for logs. */
  public String name() {
    return name;
  }

  /** The network prefix. */
  public Cidr network() {
    return network;
  }

  /** Option 54 for replies from this subnet. */
  public int serverId() {
    return serverId;
  }

  /** The dynamic pool. */
  public AddressPool pool() {
    return pool;
  }

  /** Lease time in seconds. */
  public long leaseSeconds() {
    return leaseSeconds;
  }

  /** The configured body of an option, or null (callers must not modify it). */
  byte[] option(int code) {
    return optionBodies[code];
  }
}
