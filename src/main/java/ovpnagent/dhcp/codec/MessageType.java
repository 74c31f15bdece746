package ovpnagent.dhcp.codec;

/** DHCP message types, option 53 (RFC 2132 §9.6). A closed set: other values are dropped. */
public enum MessageType {
  /** RFC 2131 §4.4.1: client broadcast to locate servers. */
  DISCOVER(1),
  /** RFC 2131 §4.3.1: server's answer to DISCOVER. */
  OFFER(2),
  /** RFC 2131 §4.3.2: client requests or renews an address. */
  REQUEST(3),
  /** RFC 2131 §4.3.3: client says the address is in use. */
  DECLINE(4),
  /** RFC 2131 §4.3.2: server commits the binding. */
  ACK(5),
  /** RFC 2131 §4.3.2: server refuses the request. */
  NAK(6),
  /** RFC 2131 §4.3.4: client gives the address back. */
  RELEASE(7),
  /** RFC 2131 §4.3.5: client asks for parameters only. */
  INFORM(8);

  private static final MessageType[] BY_CODE = new MessageType[9];

  static {
    for (MessageType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;

  MessageType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type for a code, or null if it is not one of RFC 2132's eight. */
  public static MessageType of(int code) {
    return code >= 1 && code <= 8 ? BY_CODE[code] : null;
  }
}
