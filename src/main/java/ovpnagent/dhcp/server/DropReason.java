package ovpnagent.dhcp.server;

import java.util.Locale;

/** Why a received packet got no answer; each reason is a counter {@code dhcp4.drop.<name>}. */
public enum DropReason {
  /** Shorter than the header, bad magic cookie, bad hlen (Kea pkt4-parse-failed). */
  MALFORMED,
  /** op is not BOOTREQUEST. */
  NOT_REQUEST,
  /** htype/hlen other than Ethernet/6. */
  BAD_HWADDR,
  /** No option 53, or a server-only / unknown message type (Kea pkt4-unknown-received). */
  UNKNOWN_TYPE,
  /** Option 54 names another server (RFC 2131 §4.3.2; Kea pkt4-not-for-us). */
  NOT_FOR_US,
  /** MAC on the deny list or missing from a non-empty allow list (Kea pkt4-admin-filtered). */
  DENIED,
  /** The MAC sent more than declineLimit DECLINEs within declineWindow. */
  DECLINE_LIMITED,
  /** The address is on decline probation. */
  QUARANTINED,
  /** A new DISCOVER (new xid) from the same MAC inside flapWindow. */
  FLAPPING,
  /** No free address in the pool (Kea v4-allocation-fail). */
  POOL_EXHAUSTED,
  /** The message breaks an RFC rule, e.g. DECLINE without option 50 (Kea pkt4-rfc-violation). */
  RFC_VIOLATION,
  /** RELEASE/DECLINE for an address the sender does not hold. */
  LEASE_MISMATCH,
  /** INIT-REBOOT from a client we have no record of, and we are not authoritative. */
  UNKNOWN_CLIENT,
  /** No subnet serves this packet (giaddr outside every subnet). */
  NO_SUBNET,
  /** The router of the sender's MAC is unknown (multi-router sites). */
  ROUTER_UNKNOWN,
  /**
   * A DISCOVER whose address is being probed (dhcp.pingCheck) by an earlier DISCOVER of the same
   * client, or whose offer ended while its probe was out.
   */
  PROBING,
  /**
   * Every address offered for this DISCOVER answered a probe (dhcp.pingCheck): all on probation.
   */
  ADDRESS_CONFLICT,
  /** The lease could not be made durable, so no ACK. */
  STORE_FAILED,
  /** The reply could not be sent. */
  SEND_FAILED,
  /**
   * A new DISCOVER shed while the server is behind (commits or receive queue), so that exchanges
   * already started still finish (counted only; the episode is logged by OverloadGuard).
   */
  OVERLOAD,
  /** A bug: an unexpected exception while handling the packet. */
  INTERNAL_ERROR;

  private final String metric = "dhcp4.drop." + name().toLowerCase(Locale.ROOT);

  /** The counter name, e.g. {@code dhcp4.drop.not_for_us}. */
  public String metricName() {
    return metric;
  }

  /** The lower-case label used in log lines. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
