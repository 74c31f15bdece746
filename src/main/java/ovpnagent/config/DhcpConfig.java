package ovpnagent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import ovpnagent.util.HwAddr;

/**
 * The DHCPv4 server's settings ({@code dhcp.*}).
 *
 * @param enabled whether to serve DHCP at all (an upstream appliance may own DHCP)
 * @param poolStart first pool address
 * @param poolEnd last pool address (inclusive)
 * @param leaseTime lease time given to clients (option 51)
 * @param routers option 3
 * @param dnsServers option 6
 * @param domainName option 15, or null
 * @param authoritative NAK INIT-REBOOT requests from clients we have no record of
 * @param declineProbation how long a declined address is out of use
 * @param declineLimit at most this many DECLINEs per MAC within {@code declineWindow}
 * @param declineWindow window of the decline limit
 * @param flapWindow a MAC that starts a new DISCOVER within this time of its last one is dropped
 * @param offerLifetime how long an offered address is held for its client
 * @param pingCheck how long to wait for an ICMP echo reply from an address before offering it to a
 *     client new to it (RFC 2131 §2.2); zero turns probing off
 * @param reservations client key (MAC text, or {@code id:HEX} client identifier) to address
 * @param allow if non-empty, only these MACs are served
 * @param deny these MACs are never served
 */
public record DhcpConfig(
    boolean enabled,
    int poolStart,
    int poolEnd,
    Duration leaseTime,
    List<Integer> routers,
    List<Integer> dnsServers,
    String domainName,
    boolean authoritative,
    Duration declineProbation,
    int declineLimit,
    Duration declineWindow,
    Duration flapWindow,
    Duration offerLifetime,
    Duration pingCheck,
    Map<String, Integer> reservations,
    List<HwAddr> allow,
    List<HwAddr> deny) {
  public DhcpConfig {
    routers = List.copyOf(routers);
    dnsServers = List.copyOf(dnsServers);
    reservations = Map.copyOf(reservations);
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  /** Number of addresses in the pool. */
  public long poolSize() {
    return (poolEnd & 0xffffffffL) - (poolStart & 0xffffffffL) + 1;
  }
}
