package ovpnagent.dhcp.codec.option;

import java.util.ArrayList;
import java.util.List;
import ovpnagent.dhcp.codec.ByteString;

/**
 * Option 82, relay agent information (RFC 3046 §2.0), as its sub-options in wire order. A server
 * echoes the option unchanged ({@code DhcpOptions.relayAgentInfo()}); this view is for reading it.
 *
 * @param subOptions the sub-options in wire order
 */
public record RelayAgentInfo(List<SubOption> subOptions) {
  /** RFC 3046 §2.1: agent circuit id. */
  public static final int CIRCUIT_ID = 1;

  /** RFC 3046 §2.2: agent remote id. */
  public static final int REMOTE_ID = 2;

  /** RFC 3527 §3: link selection, the subnet the client is on. */
  public static final int LINK_SELECTION = 5;

  /** RFC 5107 §4: server identifier override. */
  public static final int SERVER_ID_OVERRIDE = 11;

  /**
   * One sub-option.
   *
   * @param code the sub-option code
   * @param value its body
   */
  public record SubOption(int code, ByteString value) {}

  public RelayAgentInfo {
    subOptions = List.copyOf(subOptions);
  }

  /** Parses an option 82 body; null if a sub-option overruns it (RFC 3046 §2.0). */
  public static RelayAgentInfo parse(ByteString body) {
    if (body == null) {
      return null;
    }
    byte[] b = body.toByteArray();
    List<SubOption> out = new ArrayList<>();
    int p = 0;
    while (p < b.length) {
      if (p + 2 > b.length || p + 2 + (b[p + 1] & 0xff) > b.length) {
        return null;
      }
      int n = b[p + 1] & 0xff;
      out.add(new SubOption(b[p] & 0xff, ByteString.of(b, p + 2, n)));
      p += 2 + n;
    }
    return new RelayAgentInfo(out);
  }

  /** The first sub-option with this code, or null. */
  public ByteString get(int code) {
    for (SubOption s : subOptions) {
      if (s.code() == code) {
        return s.value();
      }
    }
    return null;
  }

  /** Sub-option 1 (circuit id), or null. */
  public ByteString circuitId() {
    return get(CIRCUIT_ID);
  }

  /** Sub-option 2 (remote id), or null. */
  public ByteString remoteId() {
    return get(REMOTE_ID);
  }

  /** Sub-option 5 (link selection) as an IPv4 int, or null if absent or not 4 bytes. */
  public Integer linkSelection() {
    return address(get(LINK_SELECTION));
  }

  /**
   * Sub-option 11 (server identifier override) as an IPv4 int, or null if absent or not 4 bytes.
   */
  public Integer serverIdOverride() {
    return address(get(SERVER_ID_OVERRIDE));
  }

  private static Integer address(ByteString v) {
    if (v == null || v.length() != 4) {
      return null;
    }
    return ((v.byteAt(0) & 0xff) << 24)
        | ((v.byteAt(1) & 0xff) << 16)
        | ((v.byteAt(2) & 0xff) << 8)
        | (v.byteAt(3) & 0xff);
  }

  /** The option 82 body for these sub-options. */
  public ByteString toBytes() {
    int len = 0;
    for (SubOption s : subOptions) {
      len += 2 + s.value().length();
    }
    byte[] b = new byte[len];
    int p = 0;
    for (SubOption s : subOptions) {
      b[p++] = (byte) s.code();
      b[p++] = (byte) s.value().length();
      s.value().copyTo(b, p);
      p += s.value().length();
    }
    return ByteString.of(b);
  }
}
