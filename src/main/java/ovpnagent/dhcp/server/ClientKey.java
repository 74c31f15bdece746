package ovpnagent.dhcp.server;

import java.util.HexFormat;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.util.HwAddr;

/**
 * The key a lease belongs to (RFC 2131 §4.2, RFC 6842): {@code id:HEX} of option 61 when present,
 * else the chaddr MAC text; the same form as the config's reservation keys.
 */
final class ClientKey {
  private static final HexFormat HEX = HexFormat.of();

  private ClientKey() {}

  /** The key of a request, or null if it has neither option 61 nor an Ethernet chaddr. */
  static String of(DhcpPacket p) {
    byte[] id = p.options().get(OptionCode.CLIENT_ID);
    if (id != null && id.length > 0) {
      return "id:" + HEX.formatHex(id);
    }
    HwAddr mac = p.mac();
    return mac == null ? null : mac.toString();
  }
}
