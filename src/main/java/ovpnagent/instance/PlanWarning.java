package ovpnagent.instance;

/**
 * A combination that will not work as intended, reported by {@code check} and at start-up.
 *
 * @param kind what is wrong (stable, for tests and logs)
 * @param instance the instance name, or null for an agent-wide warning
 * @param message the explanation for the operator
 */
public record PlanWarning(Kind kind, String instance, String message) {

  /** The kinds of warning. */
  public enum Kind {
    /** The config is not a multi-client server, or its device kind is unknown. */
    NOT_A_SERVER,
    /** TAP + {@code server}: reported only. */
    ROUTED_TAP,
    /** No {@code management} directive: the agent cannot attach. */
    NO_MANAGEMENT,
    /** {@code management-client-auth} without {@code auth-user-pass-optional}. */
    CLIENT_AUTH_WITHOUT_USER_PASS_OPTIONAL,
    /** A bridged instance without {@code management-client-auth}. */
    BRIDGED_WITHOUT_CLIENT_AUTH,
    /** A bridged instance without {@code learn-address}. */
    NO_LEARN_ADDRESS,
    /** {@code learn-address} or {@code up} without {@code script-security 2}. */
    SCRIPT_SECURITY_TOO_LOW,
    /** A bridged instance with {@code ifconfig}. */
    BRIDGED_WITH_IFCONFIG,
    /** A bridged instance on {@code dev tap} without a unit number. */
    DEV_WITHOUT_UNIT,
    /** A routed-TUN instance with client auth but no {@code routed.pool}. */
    ROUTED_WITHOUT_POOL,
    /** {@code routed.pool} set on an instance that is not routed-TUN. */
    ROUTED_POOL_UNUSED,
    /** {@code routed.pool} outside the network of the instance's {@code server} directive. */
    ROUTED_POOL_OUTSIDE_SERVER_NET,
    /** {@code routed.pool} overlaps the DHCP pool. */
    ROUTED_POOL_OVERLAPS_DHCP,
    /** The {@code server-bridge} pool overlaps the DHCP pool. */
    BRIDGE_POOL_OVERLAPS_DHCP,
    /** {@code duplicate-cn}: per-name state is ambiguous. */
    DUPLICATE_CN,
    /** Management on TCP not on loopback. */
    MANAGEMENT_NOT_LOOPBACK,
    /** Two instances name the same management endpoint. */
    SHARED_MANAGEMENT_ENDPOINT,
    /** Two bridged instances name the same device. */
    SHARED_DEVICE,
    /** {@code dhcp.enabled} but no bridged-TAP instance: nothing is bound. */
    DHCP_WITHOUT_BRIDGED
  }

  @Override
  public String toString() {
    return (instance == null ? "" : "[" + instance + "] ") + message;
  }
}
