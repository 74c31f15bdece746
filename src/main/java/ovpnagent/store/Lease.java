package ovpnagent.store;

import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * One address and who holds or held it. There is at most one lease per address.
 *
 * @param ip the address
 * @param clientKey who it belongs to: {@code id:HEX} (client identifier, option 61) or the MAC
 *     text; empty for a declined address (it belongs to nobody)
 * @param mac the client's chaddr (null for declined)
 * @param state see {@link LeaseState}
 * @param updatedAt when the lease last changed (epoch ms; Kea's cltt)
 * @param expiresAt when it ends (epoch ms): lease end for BOUND, offer end for OFFERED, probation
 *     end for DECLINED
 * @param router common name of the router the device sits behind, or null
 * @param hostname the client's host name (option 12), or null
 */
public record Lease(
    int ip,
    String clientKey,
    HwAddr mac,
    LeaseState state,
    long updatedAt,
    long expiresAt,
    String router,
    String hostname) {
  public Lease {
    if (state == null) {
      throw new IllegalArgumentException("lease state is required");
    }
    clientKey = clientKey == null ? "" : clientKey;
  }

  public boolean activeAt(long nowMs) {
    return expiresAt > nowMs;
  }

  public Lease withState(LeaseState s, long now, long expires) {
    return new Lease(ip, clientKey, mac, s, now, expires, router, hostname);
  }

  @Override
  public String toString() {
    return "Lease{"
        + Ipv4.format(ip)
        + " "
        + state
        + " client="
        + clientKey
        + " mac="
        + mac
        + " expires="
        + expiresAt
        + (router == null ? "" : " router=" + router)
        + "}";
  }
}
