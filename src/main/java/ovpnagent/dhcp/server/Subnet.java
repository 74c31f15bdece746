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
  private final String router;
  private final List<Integer> excluded;
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
    this(
        name,
        network,
        poolStart,
        poolEnd,
        serverId,
        routers,
        dnsServers,
        domainName,
        leaseTime,
        null,
        List.of());
  }

  private Subnet(
      String name,
      Cidr network,
      int poolStart,
      int poolEnd,
      int serverId,
      List<Integer> routers,
      List<Integer> dnsServers,
      String domainName,
      Duration leaseTime,
      String router,
      List<Integer> excluded) {
    this.name = name;
    this.router = router;
    this.excluded = List.copyOf(excluded);
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

  /**
   * A router's site subnet (multi-router sites): pool = the whole prefix minus network, broadcast
   * and gateway; option 3 = {@code gateway}; leases record {@code router}; the server identifier
   * stays the bridge address.
   *
   * @throws IllegalArgumentException for a prefix longer than /30 or a gateway outside it
   */
  public static Subnet forRouter(
      String router,
      Cidr network,
      int gateway,
      int serverId,
      List<Integer> dnsServers,
      String domainName,
      Duration leaseTime) {
    if (network.prefix() > 30) {
      throw new IllegalArgumentException("site subnet " + network + " is smaller than a /30");
    }
    if (!network.isHost(gateway)) {
      throw new IllegalArgumentException(
          "gateway " + ovpnagent.util.Ipv4.format(gateway) + " is not a host of " + network);
    }
    return new Subnet(
        router,
        network,
        network.network() + 1,
        network.broadcast() - 1,
        serverId,
        List.of(gateway),
        dnsServers,
        domainName,
        leaseTime,
        router,
        List.of(gateway));
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

  /** The router whose devices this subnet serves, or null (bridge and relayed subnets). */
  public String router() {
    return router;
  }

  /** Pool addresses never leased (a site's gateway). */
  public List<Integer> excluded() {
    return excluded;
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
