package ovpnagent.dhcp.codec;

/**
 * The body shape of each known option (RFC 2132 §§3-9, RFC 3046, RFC 3011, RFC 3442, RFC 4702),
 * used by the decoder to skip known options with malformed bodies. Unknown codes have no shape and
 * are always kept raw.
 */
final class OptionShapes {
  /** min/max body length, required multiple, smallest u16 value (0 = none), boolean flag. */
  private record Shape(int min, int max, int multiple, int minValue, boolean bool) {}

  private static final Shape[] SHAPES = new Shape[256];

  static {
    // RFC 2132 §3: vendor extensions
    fixed(4, OptionCode.SUBNET_MASK, OptionCode.TIME_OFFSET, OptionCode.SWAP_SERVER);
    addressList(
        OptionCode.ROUTER,
        OptionCode.TIME_SERVER,
        OptionCode.NAME_SERVER,
        OptionCode.DNS_SERVERS,
        OptionCode.LOG_SERVER,
        OptionCode.COOKIE_SERVER,
        OptionCode.LPR_SERVER,
        OptionCode.IMPRESS_SERVER,
        OptionCode.RESOURCE_LOCATION_SERVER);
    atLeast(
        1,
        OptionCode.HOST_NAME,
        OptionCode.MERIT_DUMP_FILE,
        OptionCode.DOMAIN_NAME,
        OptionCode.ROOT_PATH,
        OptionCode.EXTENSIONS_PATH);
    SHAPES[OptionCode.BOOT_FILE_SIZE] = new Shape(2, 2, 1, 0, false);
    // RFC 2132 §4: IP layer parameters per host
    bool(OptionCode.IP_FORWARDING, OptionCode.NON_LOCAL_SOURCE_ROUTING);
    SHAPES[OptionCode.POLICY_FILTER] = new Shape(8, 255 * 255, 8, 0, false);
    SHAPES[OptionCode.MAX_DATAGRAM_REASSEMBLY] = new Shape(2, 2, 1, 576, false);
    SHAPES[OptionCode.DEFAULT_IP_TTL] = new Shape(1, 1, 1, 1, false);
    fixed(4, OptionCode.PATH_MTU_AGING_TIMEOUT);
    SHAPES[OptionCode.PATH_MTU_PLATEAU_TABLE] = new Shape(2, 255 * 255, 2, 0, false);
    // RFC 2132 §5: IP layer parameters per interface
    SHAPES[OptionCode.INTERFACE_MTU] = new Shape(2, 2, 1, 68, false);
    bool(
        OptionCode.ALL_SUBNETS_LOCAL,
        OptionCode.PERFORM_MASK_DISCOVERY,
        OptionCode.MASK_SUPPLIER,
        OptionCode.PERFORM_ROUTER_DISCOVERY);
    fixed(4, OptionCode.BROADCAST_ADDRESS, OptionCode.ROUTER_SOLICITATION_ADDRESS);
    SHAPES[OptionCode.STATIC_ROUTE] = new Shape(8, 255 * 255, 8, 0, false);
    // RFC 2132 §6: link layer parameters per interface
    bool(OptionCode.TRAILER_ENCAPSULATION, OptionCode.ETHERNET_ENCAPSULATION);
    fixed(4, OptionCode.ARP_CACHE_TIMEOUT);
    // RFC 2132 §7: TCP parameters
    SHAPES[OptionCode.TCP_DEFAULT_TTL] = new Shape(1, 1, 1, 1, false);
    fixed(4, OptionCode.TCP_KEEPALIVE_INTERVAL);
    bool(OptionCode.TCP_KEEPALIVE_GARBAGE);
    // RFC 2132 §8: application and service parameters
    atLeast(
        1,
        OptionCode.NIS_DOMAIN,
        OptionCode.VENDOR_SPECIFIC,
        OptionCode.NETBIOS_SCOPE,
        OptionCode.NISPLUS_DOMAIN);
    addressList(
        OptionCode.NIS_SERVERS,
        OptionCode.NTP_SERVERS,
        OptionCode.NETBIOS_NAME_SERVERS,
        OptionCode.NETBIOS_DD_SERVERS,
        OptionCode.X_FONT_SERVERS,
        OptionCode.X_DISPLAY_MANAGERS,
        OptionCode.NISPLUS_SERVERS,
        OptionCode.SMTP_SERVERS,
        OptionCode.POP3_SERVERS,
        OptionCode.NNTP_SERVERS,
        OptionCode.WWW_SERVERS,
        OptionCode.FINGER_SERVERS,
        OptionCode.IRC_SERVERS,
        OptionCode.STREETTALK_SERVERS,
        OptionCode.STDA_SERVERS);
    fixed(1, OptionCode.NETBIOS_NODE_TYPE);
    SHAPES[OptionCode.MOBILE_IP_HOME_AGENT] = new Shape(0, 255 * 255, 4, 0, false);
    // RFC 2132 §9: DHCP extensions
    fixed(
        4,
        OptionCode.REQUESTED_IP,
        OptionCode.LEASE_TIME,
        OptionCode.SERVER_ID,
        OptionCode.RENEWAL_TIME,
        OptionCode.REBINDING_TIME);
    fixed(1, OptionCode.OVERLOAD, OptionCode.MESSAGE_TYPE);
    atLeast(
        1,
        OptionCode.PARAMETER_REQUEST_LIST,
        OptionCode.MESSAGE,
        OptionCode.VENDOR_CLASS_ID,
        OptionCode.TFTP_SERVER_NAME,
        OptionCode.BOOTFILE_NAME);
    SHAPES[OptionCode.MAX_MESSAGE_SIZE] = new Shape(2, 2, 1, DhcpCodec.DEFAULT_MAX_MESSAGE, false);
    atLeast(2, OptionCode.CLIENT_ID);
    // Later RFCs
    atLeast(3, OptionCode.CLIENT_FQDN);
    atLeast(2, OptionCode.RELAY_AGENT_INFO);
    fixed(4, OptionCode.SUBNET_SELECTION);
    atLeast(5, OptionCode.CLASSLESS_ROUTES);
  }

  private OptionShapes() {}

  private static void fixed(int n, int... codes) {
    for (int c : codes) {
      SHAPES[c] = new Shape(n, n, 1, 0, false);
    }
  }

  private static void atLeast(int n, int... codes) {
    for (int c : codes) {
      SHAPES[c] = new Shape(n, 255 * 255, 1, 0, false);
    }
  }

  private static void addressList(int... codes) {
    for (int c : codes) {
      SHAPES[c] = new Shape(4, 255 * 255, 4, 0, false);
    }
  }

  private static void bool(int... codes) {
    for (int c : codes) {
      SHAPES[c] = new Shape(1, 1, 1, 0, true);
    }
  }

  /** Whether the code has a known shape (and may be skipped when malformed). */
  static boolean isKnown(int code) {
    return SHAPES[code & 0xff] != null;
  }

  /**
   * Checks a (concatenated) option body against its shape.
   *
   * @return null if it fits or the code is unknown, else "length 2 (expected 4)"-style text
   */
  static String check(int code, byte[] body) {
    Shape s = SHAPES[code & 0xff];
    if (s == null) {
      return null;
    }
    int n = body.length;
    if (n < s.min() || n > s.max()) {
      String expected =
          s.min() == s.max()
              ? String.valueOf(s.min())
              : "at least " + s.min() + (s.multiple() > 1 ? ", a multiple of " + s.multiple() : "");
      return "length " + n + " (expected " + expected + ")";
    }
    if (n % s.multiple() != 0) {
      return "length " + n + " (expected a multiple of " + s.multiple() + ")";
    }
    if (s.bool() && (body[0] & 0xff) > 1) {
      return "value " + (body[0] & 0xff) + " (expected 0 or 1)";
    }
    if (s.minValue() > 0) {
      int v = n == 1 ? body[0] & 0xff : ((body[0] & 0xff) << 8) | (body[1] & 0xff);
      if (v < s.minValue()) {
        return "value " + v + " (expected at least " + s.minValue() + ")";
      }
    }
    if (code == OptionCode.RELAY_AGENT_INFO) {
      return checkSubOptions(body);
    }
    return null;
  }

  /**
   * RFC 3046 §2.0: the body is a sequence of (code, length, value) sub-options filling it exactly.
   */
  private static String checkSubOptions(byte[] body) {
    int p = 0;
    while (p < body.length) {
      if (p + 2 > body.length || p + 2 + (body[p + 1] & 0xff) > body.length) {
        return "sub-option "
            + (body[p] & 0xff)
            + " at body offset "
            + p
            + " overruns the option ("
            + (body.length - p)
            + " bytes left)";
      }
      p += 2 + (body[p + 1] & 0xff);
    }
    return null;
  }
}
