package ovpnagent.link;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;

/**
 * Typed link operations, one per iproute2 command. Every mutating method checks the current state
 * first and returns whether it changed anything, so callers converge without EEXIST handling.
 * Implementations are thread-safe.
 */
public interface LinkManager extends AutoCloseable {
  /** Equivalent to: {@code ip -d link show dev NAME}; empty if there is no such link. */
  Optional<LinkInfo> link(String name) throws IOException;

  /** Equivalent to: {@code ip -d link show}. */
  List<LinkInfo> links() throws IOException;

  /** Equivalent to: {@code ip -4 addr show dev NAME}; throws if there is no such link. */
  List<Cidr> addresses(String dev) throws IOException;

  /**
   * Equivalent to: {@code ip link add NAME type bridge}, only if missing; throws if NAME exists and
   * is not a bridge.
   */
  boolean ensureBridge(String name) throws IOException;

  /**
   * Equivalent to: {@code ip tuntap add dev NAME mode tap} (persistent), only if missing; throws if
   * NAME exists and is not a TAP.
   */
  boolean ensureTap(String name) throws IOException;

  /**
   * Equivalent to: {@code ip link set dev DEV master BRIDGE}, only if DEV's master is not already
   * BRIDGE; throws if either is missing or BRIDGE is not a bridge.
   */
  boolean setMaster(String dev, String bridge) throws IOException;

  /** Equivalent to: {@code ip link set dev DEV up}, only if it is not up. */
  boolean setUp(String dev) throws IOException;

  /** Equivalent to: {@code ip addr add CIDR brd + dev DEV}, only if DEV lacks that address. */
  boolean ensureAddress(String dev, Cidr address) throws IOException;

  /**
   * Equivalent to: {@code sysctl net.ipv4.conf.DEV.proxy_arp=0|1}, only if it differs; writes
   * {@code /proc/sys/net/ipv4/conf/DEV/proxy_arp}.
   */
  boolean setProxyArp(String dev, boolean enabled) throws IOException;

  /**
   * Equivalent to: {@code ip neigh replace IPV4 lladdr MAC dev DEV nud reachable}: lets a unicast
   * reply reach a client that has no address yet at layer 2.
   */
  void replaceNeighbour(String dev, int ipv4, HwAddr mac) throws IOException;

  /**
   * Equivalent to: {@code ip route replace NET/LEN dev DEV} (main table, scope link): makes an
   * off-bridge subnet (a router's site) reachable on DEV, so unicast replies and rp_filter work.
   * Idempotent by construction (replace); throws if DEV is missing.
   */
  void ensureRoute(String dev, Cidr net) throws IOException;

  /** Equivalent to: {@code ip link del dev NAME}, if present (tests only; the agent never does). */
  boolean deleteLink(String name) throws IOException;

  /** Releases the netlink socket; never throws. */
  @Override
  void close();
}
