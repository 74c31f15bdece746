package ovpnagent.dhcp.codec;

import java.util.List;
import java.util.Objects;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * One BOOTP/DHCP message (RFC 2131 §2, Figure 1), immutable. Addresses are IPv4 ints. A decoded
 * packet lists in {@code defects} the damage the decoder tolerated (skipped options, truncation);
 * replies are built fresh with {@link #builder()}.
 *
 * @param op 1 BOOTREQUEST, 2 BOOTREPLY
 * @param htype hardware type (1 = Ethernet)
 * @param hlen hardware address length
 * @param hops relay hops
 * @param xid transaction id
 * @param secs seconds since the client began
 * @param flags bit 15 = broadcast
 * @param chaddr the 16-byte client hardware address field
 * @param sname the 64-byte server name field (all zero if it carried options, option 52)
 * @param file the 128-byte boot file field (all zero if it carried options, option 52)
 * @param options the options, concatenated per RFC 3396, without option 52
 * @param defects damage the decoder tolerated, e.g. {@code option 51 at offset 243: length 2
 *     (expected 4); skipped}; empty for a clean packet and for packets built here
 */
public record DhcpPacket(
    int op,
    int htype,
    int hlen,
    int hops,
    int xid,
    int secs,
    int flags,
    int ciaddr,
    int yiaddr,
    int siaddr,
    int giaddr,
    ByteString chaddr,
    ByteString sname,
    ByteString file,
    DhcpOptions options,
    List<String> defects) {
  public static final int BOOTREQUEST = 1;
  public static final int BOOTREPLY = 2;
  public static final int FLAG_BROADCAST = 0x8000;

  public DhcpPacket {
    Objects.requireNonNull(chaddr, "chaddr");
    Objects.requireNonNull(sname, "sname");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    defects = List.copyOf(defects);
  }

  /** A builder holding every field of this packet (defects are not carried over). */
  public Builder toBuilder() {
    return new Builder()
        .op(op)
        .htype(htype)
        .hlen(hlen)
        .hops(hops)
        .xid(xid)
        .secs(secs)
        .flags(flags)
        .ciaddr(ciaddr)
        .yiaddr(yiaddr)
        .siaddr(siaddr)
        .giaddr(giaddr)
        .chaddr(chaddr)
        .sname(sname)
        .file(file)
        .options(options);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Option 53, or null. */
  public MessageType messageType() {
    return options.messageType();
  }

  public boolean broadcastFlag() {
    return (flags & FLAG_BROADCAST) != 0;
  }

  /** The client MAC from chaddr when htype is Ethernet with hlen 6, else null. */
  public HwAddr mac() {
    if (htype != 1 || hlen != 6 || chaddr.length() < 6) {
      return null;
    }
    return HwAddr.of(chaddr.toByteArray(), 0);
  }

  /** "xid=0x1234abcd chaddr=52:50:.." for log lines. */
  public String label() {
    HwAddr m = mac();
    return String.format(
        java.util.Locale.ROOT,
        "xid=0x%08x chaddr=%s",
        xid,
        m == null ? chaddr.toHex() : m.toString());
  }

  @Override
  public String toString() {
    return "DhcpPacket{"
        + messageType()
        + " "
        + label()
        + " ciaddr="
        + Ipv4.format(ciaddr)
        + " yiaddr="
        + Ipv4.format(yiaddr)
        + " giaddr="
        + Ipv4.format(giaddr)
        + " flags="
        + Integer.toHexString(flags)
        + " options="
        + options
        + "}";
  }

  /** Builds a packet; fields default to zero, chaddr/sname/file to zero-filled fields. */
  public static final class Builder {
    private int op = BOOTREPLY;
    private int htype = 1;
    private int hlen = 6;
    private int hops;
    private int xid;
    private int secs;
    private int flags;
    private int ciaddr;
    private int yiaddr;
    private int siaddr;
    private int giaddr;
    private ByteString chaddr = ByteString.zeros(16);
    private ByteString sname = ByteString.zeros(64);
    private ByteString file = ByteString.zeros(128);
    private DhcpOptions options = DhcpOptions.empty();

    public Builder op(int v) {
      op = v;
      return this;
    }

    public Builder htype(int v) {
      htype = v;
      return this;
    }

    public Builder hlen(int v) {
      hlen = v;
      return this;
    }

    public Builder hops(int v) {
      hops = v;
      return this;
    }

    public Builder xid(int v) {
      xid = v;
      return this;
    }

    public Builder secs(int v) {
      secs = v;
      return this;
    }

    public Builder flags(int v) {
      flags = v;
      return this;
    }

    public Builder ciaddr(int v) {
      ciaddr = v;
      return this;
    }

    public Builder yiaddr(int v) {
      yiaddr = v;
      return this;
    }

    public Builder siaddr(int v) {
      siaddr = v;
      return this;
    }

    public Builder giaddr(int v) {
      giaddr = v;
      return this;
    }

    public Builder chaddr(ByteString v) {
      chaddr = v;
      return this;
    }

    /** Sets chaddr to a MAC, zero-padded to 16 bytes, with htype 1 and hlen 6. */
    public Builder mac(HwAddr mac) {
      byte[] b = new byte[16];
      mac.copyTo(b, 0);
      chaddr = ByteString.of(b);
      htype = 1;
      hlen = 6;
      return this;
    }

    public Builder sname(ByteString v) {
      sname = v;
      return this;
    }

    public Builder file(ByteString v) {
      file = v;
      return this;
    }

    public Builder options(DhcpOptions v) {
      options = v;
      return this;
    }

    public DhcpPacket build() {
      return new DhcpPacket(
          op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, sname,
          file, options, List.of());
    }
  }
}
