package ovpnagent.store;

/** Life cycle of an address in the store. Numeric codes follow Kea's where Kea has one. */
public enum LeaseState {
  /** Offered to a client, not yet requested; held for the offer lifetime. */
  OFFERED,
  /** ACKed to a client and valid until it expires. */
  BOUND,
  /** Given back by the client (RELEASE); remembered for address affinity, reusable. */
  RELEASED,
  /** Declined by a client (address in use on the wire); out of use until probation ends. */
  DECLINED,
  /** Expired and reclaimed; remembered for affinity, reusable. */
  EXPIRED
}
