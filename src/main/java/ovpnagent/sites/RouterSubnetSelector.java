package ovpnagent.sites;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.dhcp.server.DropReason;
import ovpnagent.dhcp.server.Subnet;
import ovpnagent.dhcp.server.SubnetSelector;
import ovpnagent.util.HwAddr;

/**
 * The DHCP server's subnet choice for multi-router sites: a device is served only from the subnet
 * of the router its MAC sits behind ({@link MacRouterMap}), never from another; a device the bridge
 * learned on one of its own LAN ports (not behind any router) from the bridge subnet. An unknown
 * MAC is held (at most {@code maxHeld} at a time) while the {@link RouterResolver} asks OpenVPN; if
 * its router is still unknown after the bounded wait the packet is dropped as {@code
 * router_unknown}. A DISCOVER or INIT-REBOOT from a MAC mapped long ago is held for a re-check too
 * (the device may have moved and the learn-address update may still be on its way). Relayed
 * requests (giaddr set) are served as before, from the bridge subnet if giaddr lies in it.
 */
public final class RouterSubnetSelector implements SubnetSelector {
  private final Subnet bridge;
  private final SubnetSelector relayed;
  private final SiteSubnets sites;
  private final MacRouterMap map;
  private final RouterResolver resolver;
  private final Executor executor;
  private final int maxHeld;
  private final long freshNanos;
  private final Predicate<HwAddr> onLanPort;
  private final AtomicInteger held = new AtomicInteger();

  /** A mapping learned within this time is not re-checked. */
  public static final java.time.Duration FRESH = java.time.Duration.ofMillis(100);

  /**
   * A selector.
   *
   * @param bridge the bridge subnet (for relayed requests, devices on the bridge's own LAN ports
   *     and leases stored before sites)
   * @param executor runs carving (a store write) off the receive thread
   * @param maxHeld packets held at most at a time; more are dropped at once
   * @param fresh a mapping learned within this time is not re-checked ({@link #FRESH})
   * @param onLanPort whether the bridge learned a MAC on one of its LAN ports ({@code
   *     bridge.lanInterfaces}, {@link ovpnagent.link.BridgeFdb}): such a device is on the server's
   *     own segment, behind no router
   */
  public RouterSubnetSelector(
      Subnet bridge,
      SiteSubnets sites,
      MacRouterMap map,
      RouterResolver resolver,
      Executor executor,
      int maxHeld,
      java.time.Duration fresh,
      Predicate<HwAddr> onLanPort) {
    this.freshNanos = fresh.toNanos();
    this.bridge = bridge;
    this.relayed = SubnetSelector.of(bridge, List.of());
    this.sites = sites;
    this.map = map;
    this.resolver = resolver;
    this.executor = executor;
    this.maxHeld = maxHeld;
    this.onLanPort = onLanPort;
  }

  @Override
  public Subnet select(DhcpPacket request, String clientKey) {
    if (request.giaddr() != 0) {
      return relayed.select(request, clientKey);
    }
    HwAddr mac = request.mac();
    if (mac == null) {
      return null;
    }
    MacRouterMap.Entry e = map.entryOf(mac);
    if (e == null || (startsOver(request) && stale(e))) {
      // Not (or no longer surely) behind a router: a device on a LAN port of the bridge itself is
      // served from the bridge subnet; any other is held while its router is looked up.
      return onLanPort.test(mac) ? bridge : null;
    }
    return sites.peek(e.router());
  }

  /**
   * A DISCOVER or an INIT-REBOOT REQUEST: what a device sends after a link change, e.g. after it
   * moved to another router. Its router is re-checked if the map learned it long ago.
   */
  private static boolean startsOver(DhcpPacket p) {
    MessageType t = p.messageType();
    if (t == MessageType.DISCOVER) {
      return true;
    }
    return t == MessageType.REQUEST
        && p.ciaddr() == 0
        && p.options().ipv4(OptionCode.SERVER_ID) == null
        && p.options().ipv4(OptionCode.REQUESTED_IP) != null;
  }

  /**
   * True if the entry may be out of date: learned more than {@link #FRESH} ago while an instance
   * can be asked (OpenVPN updates its table before forwarding the frame; the hook's update may
   * still be on its way).
   */
  private boolean stale(MacRouterMap.Entry e) {
    return System.nanoTime() - e.learnedNanos() > freshNanos && !resolver.instances().isEmpty();
  }

  @Override
  public CompletableFuture<Subnet> selectLater(DhcpPacket request, String clientKey) {
    HwAddr mac = request.mac();
    if (request.giaddr() != 0 || mac == null) {
      return null;
    }
    if (held.incrementAndGet() > maxHeld) {
      held.decrementAndGet();
      return null;
    }
    MacRouterMap.Entry e = map.entryOf(mac);
    CompletableFuture<String> found =
        e != null && startsOver(request) && stale(e)
            ? resolver.refresh(mac)
            : resolver.resolve(mac);
    return found
        .thenApplyAsync(router -> router == null ? null : sites.subnetOf(router), executor)
        .whenComplete((s, err) -> held.decrementAndGet());
  }

  @Override
  public DropReason missReason(DhcpPacket request, String clientKey) {
    if (request.giaddr() != 0 || request.mac() == null) {
      return DropReason.NO_SUBNET;
    }
    return map.routerOf(request.mac()) == null ? DropReason.ROUTER_UNKNOWN : DropReason.NO_SUBNET;
  }

  @Override
  public DropReason missReason() {
    return DropReason.ROUTER_UNKNOWN;
  }

  @Override
  public List<Subnet> subnets() {
    List<Subnet> all = new ArrayList<>();
    all.add(bridge);
    all.addAll(sites.all());
    return all;
  }

  @Override
  public void onNewSubnet(Consumer<Subnet> sink) {
    sites.addListener(sink);
  }

  /** Packets held right now. */
  public int held() {
    return held.get();
  }
}
