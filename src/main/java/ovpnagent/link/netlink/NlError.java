package ovpnagent.link.netlink;

import java.nio.ByteBuffer;

/**
 * A parsed NLMSG_ERROR ({@code struct nlmsgerr}, netlink(7)): error 0 is an ACK, otherwise {@code
 * -errno}; {@code message} is the extended-ack text (NLMSGERR_ATTR_MSG) or null.
 *
 * @param error 0 or a negative errno
 * @param requestSeq sequence number of the echoed request header
 * @param message kernel extended-ack text, or null
 */
public record NlError(int error, int requestSeq, String message) {

  /** True for an ACK (error 0). */
  public boolean isAck() {
    return error == 0;
  }

  /**
   * Parses an NLMSG_ERROR; TLVs are read after the echoed request (only its header when capped).
   *
   * @throws NetlinkParseException if it is not NLMSG_ERROR or shorter than error + header
   */
  public static NlError parse(NlMessage m) throws NetlinkParseException {
    if (m.type() != Rtnl.NLMSG_ERROR) {
      throw new NetlinkParseException(
          "message " + Rtnl.typeName(m.type()) + " (expected NLMSG_ERROR)");
    }
    m.requireBody(4 + Rtnl.NLMSG_HDRLEN, "nlmsgerr");
    ByteBuffer b = m.body();
    int error = b.getInt(0);
    int echoedLen = b.getInt(4);
    int seq = b.getInt(12);
    String text = null;
    if ((m.flags() & Rtnl.NLM_F_ACK_TLVS) != 0) {
      int tlvs =
          4 + ((m.flags() & Rtnl.NLM_F_CAPPED) != 0 ? Rtnl.NLMSG_HDRLEN : Rtnl.align4(echoedLen));
      if (tlvs <= m.bodyLength()) {
        text = RtAttrs.parse(b, tlvs).string(Rtnl.NLMSGERR_ATTR_MSG);
      }
    }
    return new NlError(error, seq, text);
  }
}
