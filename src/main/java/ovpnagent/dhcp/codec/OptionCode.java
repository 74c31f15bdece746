package ovpnagent.dhcp.codec;

/**
 * DHCP option codes: an open set (RFC 2132 and later). The constants are the codes of RFC 2132 and
 * the later ones the agent meets; any other code is still decoded and kept as raw bytes, and {@link
 * #name(int)} names it {@code option-N}.
 */
public final class OptionCode {
  /** RFC 2132 §3.1: pad. */
  public static final int PAD = 0;

  /** RFC 2132 §3.3: subnet-mask. */
  public static final int SUBNET_MASK = 1;

  /** RFC 2132 §3.4: time-offset. */
  public static final int TIME_OFFSET = 2;

  /** RFC 2132 §3.5: routers. */
  public static final int ROUTER = 3;

  /** RFC 2132 §3.6: time-servers. */
  public static final int TIME_SERVER = 4;

  /** RFC 2132 §3.7: ien116-name-servers. */
  public static final int NAME_SERVER = 5;

  /** RFC 2132 §3.8: domain-name-servers. */
  public static final int DNS_SERVERS = 6;

  /** RFC 2132 §3.9: log-servers. */
  public static final int LOG_SERVER = 7;

  /** RFC 2132 §3.10: cookie-servers. */
  public static final int COOKIE_SERVER = 8;

  /** RFC 2132 §3.11: lpr-servers. */
  public static final int LPR_SERVER = 9;

  /** RFC 2132 §3.12: impress-servers. */
  public static final int IMPRESS_SERVER = 10;

  /** RFC 2132 §3.13: resource-location-servers. */
  public static final int RESOURCE_LOCATION_SERVER = 11;

  /** RFC 2132 §3.14: host-name. */
  public static final int HOST_NAME = 12;

  /** RFC 2132 §3.15: boot-size. */
  public static final int BOOT_FILE_SIZE = 13;

  /** RFC 2132 §3.16: merit-dump. */
  public static final int MERIT_DUMP_FILE = 14;

  /** RFC 2132 §3.17: domain-name. */
  public static final int DOMAIN_NAME = 15;

  /** RFC 2132 §3.18: swap-server. */
  public static final int SWAP_SERVER = 16;

  /** RFC 2132 §3.19: root-path. */
  public static final int ROOT_PATH = 17;

  /** RFC 2132 §3.20: extensions-path. */
  public static final int EXTENSIONS_PATH = 18;

  /** RFC 2132 §4.1: ip-forwarding. */
  public static final int IP_FORWARDING = 19;

  /** RFC 2132 §4.2: non-local-source-routing. */
  public static final int NON_LOCAL_SOURCE_ROUTING = 20;

  /** RFC 2132 §4.3: policy-filter. */
  public static final int POLICY_FILTER = 21;

  /** RFC 2132 §4.4: max-dgram-reassembly. */
  public static final int MAX_DATAGRAM_REASSEMBLY = 22;

  /** RFC 2132 §4.5: default-ip-ttl. */
  public static final int DEFAULT_IP_TTL = 23;

  /** RFC 2132 §4.6: path-mtu-aging-timeout. */
  public static final int PATH_MTU_AGING_TIMEOUT = 24;

  /** RFC 2132 §4.7: path-mtu-plateau-table. */
  public static final int PATH_MTU_PLATEAU_TABLE = 25;

  /** RFC 2132 §5.1: interface-mtu. */
  public static final int INTERFACE_MTU = 26;

  /** RFC 2132 §5.2: all-subnets-local. */
  public static final int ALL_SUBNETS_LOCAL = 27;

  /** RFC 2132 §5.3: broadcast-address. */
  public static final int BROADCAST_ADDRESS = 28;

  /** RFC 2132 §5.4: perform-mask-discovery. */
  public static final int PERFORM_MASK_DISCOVERY = 29;

  /** RFC 2132 §5.5: mask-supplier. */
  public static final int MASK_SUPPLIER = 30;

  /** RFC 2132 §5.6: router-discovery. */
  public static final int PERFORM_ROUTER_DISCOVERY = 31;

  /** RFC 2132 §5.7: router-solicitation-address. */
  public static final int ROUTER_SOLICITATION_ADDRESS = 32;

  /** RFC 2132 §5.8: static-routes. */
  public static final int STATIC_ROUTE = 33;

  /** RFC 2132 §6.1: trailer-encapsulation. */
  public static final int TRAILER_ENCAPSULATION = 34;

  /** RFC 2132 §6.2: arp-cache-timeout. */
  public static final int ARP_CACHE_TIMEOUT = 35;

  /** RFC 2132 §6.3: ieee802-3-encapsulation. */
  public static final int ETHERNET_ENCAPSULATION = 36;

  /** RFC 2132 §7.1: default-tcp-ttl. */
  public static final int TCP_DEFAULT_TTL = 37;

  /** RFC 2132 §7.2: tcp-keepalive-interval. */
  public static final int TCP_KEEPALIVE_INTERVAL = 38;

  /** RFC 2132 §7.3: tcp-keepalive-garbage. */
  public static final int TCP_KEEPALIVE_GARBAGE = 39;

  /** RFC 2132 §8.1: nis-domain. */
  public static final int NIS_DOMAIN = 40;

  /** RFC 2132 §8.2: nis-servers. */
  public static final int NIS_SERVERS = 41;

  /** RFC 2132 §8.3: ntp-servers. */
  public static final int NTP_SERVERS = 42;

  /** RFC 2132 §8.4: vendor-encapsulated-options. */
  public static final int VENDOR_SPECIFIC = 43;

  /** RFC 2132 §8.5: netbios-name-servers. */
  public static final int NETBIOS_NAME_SERVERS = 44;

  /** RFC 2132 §8.6: netbios-dd-server. */
  public static final int NETBIOS_DD_SERVERS = 45;

  /** RFC 2132 §8.7: netbios-node-type. */
  public static final int NETBIOS_NODE_TYPE = 46;

  /** RFC 2132 §8.8: netbios-scope. */
  public static final int NETBIOS_SCOPE = 47;

  /** RFC 2132 §8.9: font-servers. */
  public static final int X_FONT_SERVERS = 48;

  /** RFC 2132 §8.10: x-display-manager. */
  public static final int X_DISPLAY_MANAGERS = 49;

  /** RFC 2132 §9.1: requested-address. */
  public static final int REQUESTED_IP = 50;

  /** RFC 2132 §9.2: lease-time. */
  public static final int LEASE_TIME = 51;

  /** RFC 2132 §9.3: option-overload. */
  public static final int OVERLOAD = 52;

  /** RFC 2132 §9.6: message-type. */
  public static final int MESSAGE_TYPE = 53;

  /** RFC 2132 §9.7: server-identifier. */
  public static final int SERVER_ID = 54;

  /** RFC 2132 §9.8: parameter-request-list. */
  public static final int PARAMETER_REQUEST_LIST = 55;

  /** RFC 2132 §9.9: message. */
  public static final int MESSAGE = 56;

  /** RFC 2132 §9.10: max-message-size. */
  public static final int MAX_MESSAGE_SIZE = 57;

  /** RFC 2132 §9.11: renewal-time. */
  public static final int RENEWAL_TIME = 58;

  /** RFC 2132 §9.12: rebinding-time. */
  public static final int REBINDING_TIME = 59;

  /** RFC 2132 §9.13: vendor-class-identifier. */
  public static final int VENDOR_CLASS_ID = 60;

  /** RFC 2132 §9.14: client-identifier. */
  public static final int CLIENT_ID = 61;

  /** RFC 2132 §8.11: nisplus-domain. */
  public static final int NISPLUS_DOMAIN = 64;

  /** RFC 2132 §8.12: nisplus-servers. */
  public static final int NISPLUS_SERVERS = 65;

  /** RFC 2132 §9.4: tftp-server-name. */
  public static final int TFTP_SERVER_NAME = 66;

  /** RFC 2132 §9.5: boot-file-name. */
  public static final int BOOTFILE_NAME = 67;

  /** RFC 2132 §8.13: mobile-ip-home-agent. */
  public static final int MOBILE_IP_HOME_AGENT = 68;

  /** RFC 2132 §8.14: smtp-server. */
  public static final int SMTP_SERVERS = 69;

  /** RFC 2132 §8.15: pop-server. */
  public static final int POP3_SERVERS = 70;

  /** RFC 2132 §8.16: nntp-server. */
  public static final int NNTP_SERVERS = 71;

  /** RFC 2132 §8.17: www-server. */
  public static final int WWW_SERVERS = 72;

  /** RFC 2132 §8.18: finger-server. */
  public static final int FINGER_SERVERS = 73;

  /** RFC 2132 §8.19: irc-server. */
  public static final int IRC_SERVERS = 74;

  /** RFC 2132 §8.20: streettalk-server. */
  public static final int STREETTALK_SERVERS = 75;

  /** RFC 2132 §8.21: streettalk-directory-assistance-server. */
  public static final int STDA_SERVERS = 76;

  /** RFC 4702 §2: client-fqdn. */
  public static final int CLIENT_FQDN = 81;

  /** RFC 3046 §2: relay-agent-information. */
  public static final int RELAY_AGENT_INFO = 82;

  /** RFC 3011 §3: subnet-selection. */
  public static final int SUBNET_SELECTION = 118;

  /** RFC 3397 §2: domain-search. */
  public static final int DOMAIN_SEARCH = 119;

  /** RFC 3442: classless-static-routes. */
  public static final int CLASSLESS_ROUTES = 121;

  /** RFC 6704 §3.1.2: forcerenew-nonce-capable. */
  public static final int FORCERENEW_NONCE_CAPABLE = 145;

  /** RFC 2132 §3.2: end. */
  public static final int END = 255;

  private static final String[] NAMES = new String[256];

  static {
    NAMES[PAD] = "pad";
    NAMES[SUBNET_MASK] = "subnet-mask";
    NAMES[TIME_OFFSET] = "time-offset";
    NAMES[ROUTER] = "routers";
    NAMES[TIME_SERVER] = "time-servers";
    NAMES[NAME_SERVER] = "ien116-name-servers";
    NAMES[DNS_SERVERS] = "domain-name-servers";
    NAMES[LOG_SERVER] = "log-servers";
    NAMES[COOKIE_SERVER] = "cookie-servers";
    NAMES[LPR_SERVER] = "lpr-servers";
    NAMES[IMPRESS_SERVER] = "impress-servers";
    NAMES[RESOURCE_LOCATION_SERVER] = "resource-location-servers";
    NAMES[HOST_NAME] = "host-name";
    NAMES[BOOT_FILE_SIZE] = "boot-size";
    NAMES[MERIT_DUMP_FILE] = "merit-dump";
    NAMES[DOMAIN_NAME] = "domain-name";
    NAMES[SWAP_SERVER] = "swap-server";
    NAMES[ROOT_PATH] = "root-path";
    NAMES[EXTENSIONS_PATH] = "extensions-path";
    NAMES[IP_FORWARDING] = "ip-forwarding";
    NAMES[NON_LOCAL_SOURCE_ROUTING] = "non-local-source-routing";
    NAMES[POLICY_FILTER] = "policy-filter";
    NAMES[MAX_DATAGRAM_REASSEMBLY] = "max-dgram-reassembly";
    NAMES[DEFAULT_IP_TTL] = "default-ip-ttl";
    NAMES[PATH_MTU_AGING_TIMEOUT] = "path-mtu-aging-timeout";
    NAMES[PATH_MTU_PLATEAU_TABLE] = "path-mtu-plateau-table";
    NAMES[INTERFACE_MTU] = "interface-mtu";
    NAMES[ALL_SUBNETS_LOCAL] = "all-subnets-local";
    NAMES[BROADCAST_ADDRESS] = "broadcast-address";
    NAMES[PERFORM_MASK_DISCOVERY] = "perform-mask-discovery";
    NAMES[MASK_SUPPLIER] = "mask-supplier";
    NAMES[PERFORM_ROUTER_DISCOVERY] = "router-discovery";
    NAMES[ROUTER_SOLICITATION_ADDRESS] = "router-solicitation-address";
    NAMES[STATIC_ROUTE] = "static-routes";
    NAMES[TRAILER_ENCAPSULATION] = "trailer-encapsulation";
    NAMES[ARP_CACHE_TIMEOUT] = "arp-cache-timeout";
    NAMES[ETHERNET_ENCAPSULATION] = "ieee802-3-encapsulation";
    NAMES[TCP_DEFAULT_TTL] = "default-tcp-ttl";
    NAMES[TCP_KEEPALIVE_INTERVAL] = "tcp-keepalive-interval";
    NAMES[TCP_KEEPALIVE_GARBAGE] = "tcp-keepalive-garbage";
    NAMES[NIS_DOMAIN] = "nis-domain";
    NAMES[NIS_SERVERS] = "nis-servers";
    NAMES[NTP_SERVERS] = "ntp-servers";
    NAMES[VENDOR_SPECIFIC] = "vendor-encapsulated-options";
    NAMES[NETBIOS_NAME_SERVERS] = "netbios-name-servers";
    NAMES[NETBIOS_DD_SERVERS] = "netbios-dd-server";
    NAMES[NETBIOS_NODE_TYPE] = "netbios-node-type";
    NAMES[NETBIOS_SCOPE] = "netbios-scope";
    NAMES[X_FONT_SERVERS] = "font-servers";
    NAMES[X_DISPLAY_MANAGERS] = "x-display-manager";
    NAMES[REQUESTED_IP] = "requested-address";
    NAMES[LEASE_TIME] = "lease-time";
    NAMES[OVERLOAD] = "option-overload";
    NAMES[MESSAGE_TYPE] = "message-type";
    NAMES[SERVER_ID] = "server-identifier";
    NAMES[PARAMETER_REQUEST_LIST] = "parameter-request-list";
    NAMES[MESSAGE] = "message";
    NAMES[MAX_MESSAGE_SIZE] = "max-message-size";
    NAMES[RENEWAL_TIME] = "renewal-time";
    NAMES[REBINDING_TIME] = "rebinding-time";
    NAMES[VENDOR_CLASS_ID] = "vendor-class-identifier";
    NAMES[CLIENT_ID] = "client-identifier";
    NAMES[NISPLUS_DOMAIN] = "nisplus-domain";
    NAMES[NISPLUS_SERVERS] = "nisplus-servers";
    NAMES[TFTP_SERVER_NAME] = "tftp-server-name";
    NAMES[BOOTFILE_NAME] = "boot-file-name";
    NAMES[MOBILE_IP_HOME_AGENT] = "mobile-ip-home-agent";
    NAMES[SMTP_SERVERS] = "smtp-server";
    NAMES[POP3_SERVERS] = "pop-server";
    NAMES[NNTP_SERVERS] = "nntp-server";
    NAMES[WWW_SERVERS] = "www-server";
    NAMES[FINGER_SERVERS] = "finger-server";
    NAMES[IRC_SERVERS] = "irc-server";
    NAMES[STREETTALK_SERVERS] = "streettalk-server";
    NAMES[STDA_SERVERS] = "streettalk-directory-assistance-server";
    NAMES[CLIENT_FQDN] = "client-fqdn";
    NAMES[RELAY_AGENT_INFO] = "relay-agent-information";
    NAMES[SUBNET_SELECTION] = "subnet-selection";
    NAMES[DOMAIN_SEARCH] = "domain-search";
    NAMES[CLASSLESS_ROUTES] = "classless-static-routes";
    NAMES[FORCERENEW_NONCE_CAPABLE] = "forcerenew-nonce-capable";
    NAMES[END] = "end";
  }

  private OptionCode() {}

  /**
   * A readable name for any code (Kea's option names where it has one); unknown codes are {@code
   * option-N}.
   */
  public static String name(int code) {
    String n = code >= 0 && code < 256 ? NAMES[code] : null;
    return n != null ? n : "option-" + code;
  }
}
