package ovpnagent.dhcp.codec;

/**
 * DHCP option codes: an open set. The constants are the codes the agent uses; {@link #name(int)}
 * names any code, unknown ones as {@code option-N}.
 */
public final class OptionCode {
  /** RFC 2132 §3.1. */
  public static final int PAD = 0;
  /** RFC 2132 §3.3. */
  public static final int SUBNET_MASK = 1;
  /** RFC 2132 §3.5. */
  public static final int ROUTER = 3;
  /** RFC 2132 §3.8. */
  public static final int DNS_SERVERS = 6;
  /** RFC 2132 §3.14. */
  public static final int HOST_NAME = 12;
  /** RFC 2132 §3.17. */
  public static final int DOMAIN_NAME = 15;
  /** RFC 2132 §5.3. */
  public static final int BROADCAST_ADDRESS = 28;
  /** RFC 2132 §9.1. */
  public static final int REQUESTED_IP = 50;
  /** RFC 2132 §9.2. */
  public static final int LEASE_TIME = 51;
  /** RFC 2132 §9.3. */
  public static final int OVERLOAD = 52;
  /** RFC 2132 §9.6. */
  public static final int MESSAGE_TYPE = 53;
  /** RFC 2132 §9.7. */
  public static final int SERVER_ID = 54;
  /** RFC 2132 §9.8. */
  public static final int PARAMETER_REQUEST_LIST = 55;
  /** RFC 2132 §9.9. */
  public static final int MESSAGE = 56;
  /** RFC 2132 §9.10. */
  public static final int MAX_MESSAGE_SIZE = 57;
  /** RFC 2132 §9.11. */
  public static final int RENEWAL_TIME = 58;
  /** RFC 2132 §9.12. */
  public static final int REBINDING_TIME = 59;
  /** RFC 2132 §9.13. */
  public static final int VENDOR_CLASS_ID = 60;
  /** RFC 2132 §9.14. */
  public static final int CLIENT_ID = 61;
  /** RFC 4702. */
  public static final int CLIENT_FQDN = 81;
  /** RFC 3046. */
  public static final int RELAY_AGENT_INFO = 82;
  /** RFC 3011. */
  public static final int SUBNET_SELECTION = 118;
  /** RFC 3442. */
  public static final int CLASSLESS_ROUTES = 121;
  /** RFC 2132 §3.2. */
  public static final int END = 255;

  private OptionCode() {}

  /** A readable name for any code. */
  public static String name(int code) {
    return switch (code) {
      case PAD -> "pad";
      case SUBNET_MASK -> "subnet-mask";
      case ROUTER -> "routers";
      case DNS_SERVERS -> "domain-name-servers";
      case HOST_NAME -> "host-name";
      case DOMAIN_NAME -> "domain-name";
      case BROADCAST_ADDRESS -> "broadcast-address";
      case REQUESTED_IP -> "requested-address";
      case LEASE_TIME -> "lease-time";
      case OVERLOAD -> "option-overload";
      case MESSAGE_TYPE -> "message-type";
      case SERVER_ID -> "server-identifier";
      case PARAMETER_REQUEST_LIST -> "parameter-request-list";
      case MESSAGE -> "message";
      case MAX_MESSAGE_SIZE -> "max-message-size";
      case RENEWAL_TIME -> "renewal-time";
      case REBINDING_TIME -> "rebinding-time";
      case VENDOR_CLASS_ID -> "vendor-class-identifier";
      case CLIENT_ID -> "client-identifier";
      case CLIENT_FQDN -> "client-fqdn";
      case RELAY_AGENT_INFO -> "relay-agent-information";
      case SUBNET_SELECTION -> "subnet-selection";
      case CLASSLESS_ROUTES -> "classless-static-routes";
      case END -> "end";
      default -> "option-" + code;
    };
  }
}
