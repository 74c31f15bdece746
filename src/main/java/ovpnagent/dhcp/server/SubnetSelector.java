package ovpnagent.dhcp.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import ovpnagent.dhcp.codec.DhcpPacket;

/**
 * Chooses the subnet that serves a request (RFC 2131 §4.3.1: the receiving interface's network, or
 * giaddr's). The default serves the bridge's subnet to direct clients and picks by giaddr for
 * relayed ones; multi-router sites plug in a selector keyed by the device's router.
 */
public interface SubnetSelector {
  /** The subnet for a request from client {@code clientKey}, or null to drop it. */
  Subnet select(DhcpPacket request, String clientKey);

  /** Why a request was dropped when {@link #select} returned null. */
  default DropReason missReason() {
    return DropReason.NO_SUBNET;
  }

  /** Why this request was dropped when no subnet was selected for it (default: missReason()). */
  default DropReason missReason(DhcpPacket request, String clientKey) {
    return missReason();
  }

  /**
   * Called when {@link #select} returned null: a future if the choice may still be made (e.g. the
   * router of the MAC is being resolved), completing with the subnet or null to drop; null if the
   * request is to be dropped now. The server parks the packet meanwhile and never blocks its
   * receive thread; the future must complete within a bounded time.
   */
  default CompletableFuture<Subnet> selectLater(DhcpPacket request, String clientKey) {
    return null;
  }

  /**
   * Called once by the server before it starts: {@code sink} takes subnets this selector creates
   * after construction (e.g. a router's subnet carved on first sight), so the allocator leases
   * them.
   */
  default void onNewSubnet(Consumer<Subnet> sink) {}

  /** Every subnet this selector can return (for loading, reaping and status). */
  List<Subnet> subnets();

  /**
   * The bridge-only selector: direct clients get {@code bridge}, relayed ones the giaddr's subnet.
   */
  static SubnetSelector of(Subnet bridge, List<Subnet> others) {
    List<Subnet> all = new java.util.ArrayList<>();
    all.add(bridge);
    all.addAll(others);
    List<Subnet> fixed = List.copyOf(all);
    return new SubnetSelector() {
      @Override
      public Subnet select(DhcpPacket request, String clientKey) {
        int giaddr = request.giaddr();
        if (giaddr == 0) {
          return bridge;
        }
        for (int i = 0; i < fixed.size(); i++) {
          Subnet s = fixed.get(i);
          if (s.network().contains(giaddr)) {
            return s;
          }
        }
        return null;
      }

      @Override
      public List<Subnet> subnets() {
        return fixed;
      }
    };
  }
}
