package ovpnagent.dhcp.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Bytes to {@link DhcpPacket} and back (RFC 2131 §2, RFC 2132). No I/O.
 *
 * <p>Leniency comes in grades: a packet shorter than the 236-byte header or with a wrong magic cookie
 * is rejected with {@link MalformedPacketException}; an unknown option is kept as raw bytes; a known
 * option with a body of the wrong length is skipped and noted in {@link DhcpPacket#defects()}; an
 * option truncated at the end of its area keeps everything parsed before it; bytes after END are
 * ignored.
 */
public final class DhcpCodec {
  /** Fixed BOOTP header length, without the magic cookie. */
  public static final int HEADER_LENGTH = 236;
  /** RFC 1542 §2.1: the smallest BOOTP message a server sends. */
  public static final int MIN_REPLY_LENGTH = 300;
  /** RFC 2131 §2: what a client must accept without option 57. */
  public static final int DEFAULT_MAX_MESSAGE = 576;
  /** IPv4 (20) + UDP (8) headers, subtracted from option 57 to get the DHCP payload limit. */
  public static final int IP_UDP_OVERHEAD = 28;
  /** RFC 2131 §3: 99.130.83.99. */
  public static final int MAGIC_COOKIE = 0x63825363;

  private DhcpCodec() {}

  /**
   * Decodes one message.
   *
   * @throws MalformedPacketException if the header is short or the magic cookie is wrong
   */
  public static DhcpPacket decode(byte[] buf, int off, int len) throws MalformedPacketException {
    if (len < HEADER_LENGTH + 4) {
      throw new MalformedPacketException(
          "packet of " + len + " bytes is shorter than the header (expected at least 240)");
    }
    DhcpReader r = new DhcpReader(buf, off, len);
    int op = r.u8("op");
    int htype = r.u8("htype");
    int hlen = r.u8("hlen");
    int hops = r.u8("hops");
    int xid = r.u32("xid");
    int secs = r.u16("secs");
    int flags = r.u16("flags");
    int ciaddr = r.u32("ciaddr");
    int yiaddr = r.u32("yiaddr");
    int siaddr = r.u32("siaddr");
    int giaddr = r.u32("giaddr");
    ByteString chaddr = r.bytes(16, "chaddr");
    int snameOff = r.position();
    ByteString sname = r.bytes(64, "sname");
    int fileOff = r.position();
    ByteString file = r.bytes(128, "file");
    int cookie = r.u32("magic cookie");
    if (cookie != MAGIC_COOKIE) {
      throw new MalformedPacketException(
          String.format(
              "magic cookie at offset 236: 0x%08x (expected 0x63825363)", cookie));
    }
    if (hlen > 16) {
      throw new MalformedPacketException("hlen at offset 2: " + hlen + " (expected at most 16)");
    }
    List<String> defects = new ArrayList<>();
    DhcpOptions.Builder opts = DhcpOptions.builder();
    int overload = parseArea(buf, r.position(), off + len - r.position(), "options", opts, defects);
    if (overload == 1 || overload == 3) {
      parseArea(buf, fileOff, 128, "file", opts, defects);
      file = ByteString.of(new byte[128]);
    }
    if (overload == 2 || overload == 3) {
      parseArea(buf, snameOff, 64, "sname", opts, defects);
      sname = ByteString.of(new byte[64]);
    }
    if (overload > 3) {
      defects.add("option 52: value " + overload + " (expected 1, 2 or 3)");
    }
    DhcpOptions options = validate(opts.build(), defects);
    return new DhcpPacket(
        op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, sname,
        file, options, defects);
  }

  /** Parses one option area; returns the overload value seen (0 if none). */
  private static int parseArea(
      byte[] buf, int start, int len, String area, DhcpOptions.Builder opts, List<String> defects) {
    int p = start;
    int end = start + len;
    int overload = 0;
    while (p < end) {
      int code = buf[p] & 0xff;
      if (code == OptionCode.PAD) {
        p++;
        continue;
      }
      if (code == OptionCode.END) {
        return overload;
      }
      if (p + 1 >= end) {
        defects.add("option " + code + " in " + area + " at offset " + p + ": truncated length");
        return overload;
      }
      int olen = buf[p + 1] & 0xff;
      if (p + 2 + olen > end) {
        defects.add(
            "option " + code + " in " + area + " at offset " + p + ": length " + olen
                + " (only " + (end - p - 2) + " bytes left)");
        return overload;
      }
      if (code == OptionCode.OVERLOAD && area.equals("options")) {
        if (olen == 1) {
          overload = buf[p + 2] & 0xff;
        } else {
          defects.add("option 52 at offset " + p + ": length " + olen + " (expected 1)");
        }
      } else if (code != OptionCode.OVERLOAD) {
        opts.append(code, buf, p + 2, olen);
      }
      p += 2 + olen;
    }
    if (area.equals("options")) {
      defects.add("options: no END option");
    }
    return overload;
  }

  /** Drops known options whose body has the wrong shape, noting each. */
  private static DhcpOptions validate(DhcpOptions in, List<String> defects) {
    DhcpOptions.Builder b = null;
    for (int code : in.codes()) {
      int n = in.length(code);
      String bad = shapeError(code, n, in);
      if (bad != null) {
        defects.add("option " + code + ": " + bad);
        if (b == null) {
          b = in.toBuilder();
        }
        b.remove(code);
      }
    }
    return b == null ? in : b.build();
  }

  private static String shapeError(int code, int n, DhcpOptions in) {
    switch (code) {
      case OptionCode.MESSAGE_TYPE:
        return n != 1 ? "length " + n + " (expected 1)" : null;
      case OptionCode.SUBNET_MASK:
      case OptionCode.REQUESTED_IP:
      case OptionCode.SERVER_ID:
      case OptionCode.LEASE_TIME:
      case OptionCode.RENEWAL_TIME:
      case OptionCode.REBINDING_TIME:
      case OptionCode.BROADCAST_ADDRESS:
      case OptionCode.SUBNET_SELECTION:
        return n != 4 ? "length " + n + " (expected 4)" : null;
      case OptionCode.ROUTER:
      case OptionCode.DNS_SERVERS:
        return n == 0 || n % 4 != 0 ? "length " + n + " (expected a multiple of 4)" : null;
      case OptionCode.MAX_MESSAGE_SIZE:
        if (n != 2) {
          return "length " + n + " (expected 2)";
        }
        int v = in.u16(code);
        return v < DEFAULT_MAX_MESSAGE ? "value " + v + " (expected at least 576)" : null;
      case OptionCode.CLIENT_ID:
        return n < 2 ? "length " + n + " (expected at least 2)" : null;
      case OptionCode.PARAMETER_REQUEST_LIST:
      case OptionCode.HOST_NAME:
      case OptionCode.DOMAIN_NAME:
        return n < 1 ? "length 0 (expected at least 1)" : null;
      default:
        return null;
    }
  }

  /**
   * Encodes a message, options in their order then END, padded to at least 300 bytes. If the
   * options do not fit in {@code maxLength} (the client's option 57 less IP/UDP headers, or 548),
   * the rest spill into {@code file} and then {@code sname} with option 52 (RFC 2131 §4.1); option
   * 82 never spills.
   *
   * @throws IllegalArgumentException if the options cannot fit even with overload
   */
  public static byte[] encode(DhcpPacket p, int maxLength) {
    int[] codes = p.options().codes();
    int optionBytes = 4 + 1;
    for (int c : codes) {
      optionBytes += encodedLength(p.options().raw(c).length);
    }
    int limit = Math.max(maxLength, MIN_REPLY_LENGTH);
    if (HEADER_LENGTH + optionBytes <= limit) {
      byte[] out = new byte[Math.max(MIN_REPLY_LENGTH, HEADER_LENGTH + optionBytes)];
      int pos = header(p, out, p.sname(), p.file());
      pos = putInt(out, pos, MAGIC_COOKIE);
      for (int c : codes) {
        pos = putOption(out, pos, c, p.options().raw(c));
      }
      out[pos] = (byte) OptionCode.END;
      return out;
    }
    return encodeOverloaded(p, codes, limit);
  }

  private static byte[] encodeOverloaded(DhcpPacket p, int[] codes, int limit) {
    // Main area: cookie + option 52 (3 bytes) + options + END, within limit - 236.
    int mainCap = limit - HEADER_LENGTH - 4 - 3 - 1;
    byte[] main = new byte[Math.max(mainCap, 0) + 64];
    byte[] file = new byte[128];
    byte[] sname = new byte[64];
    int mainPos = 0;
    int filePos = 0;
    int snamePos = 0;
    boolean usedFile = false;
    boolean usedSname = false;
    List<Integer> rest = new ArrayList<>();
    for (int c : codes) {
      byte[] v = p.options().raw(c);
      int n = encodedLength(v.length);
      if (c == OptionCode.RELAY_AGENT_INFO || c == OptionCode.MESSAGE_TYPE
          || mainPos + n <= mainCap) {
        if (mainPos + n > mainCap && c != OptionCode.RELAY_AGENT_INFO
            && c != OptionCode.MESSAGE_TYPE) {
          rest.add(c);
          continue;
        }
        mainPos = putOption(main, mainPos, c, v);
      } else {
        rest.add(c);
      }
    }
    for (int c : rest) {
      byte[] v = p.options().raw(c);
      int n = encodedLength(v.length);
      if (filePos + n <= 127) {
        filePos = putOption(file, filePos, c, v);
        usedFile = true;
      } else if (snamePos + n <= 63) {
        snamePos = putOption(sname, snamePos, c, v);
        usedSname = true;
      } else {
        throw new IllegalArgumentException(
            "options do not fit in " + limit + " bytes even with overload");
      }
    }
    if (usedFile) {
      file[filePos] = (byte) OptionCode.END;
    }
    if (usedSname) {
      sname[snamePos] = (byte) OptionCode.END;
    }
    int overload = (usedFile ? 1 : 0) | (usedSname ? 2 : 0);
    int total = HEADER_LENGTH + 4 + 3 + mainPos + 1;
    byte[] out = new byte[Math.max(MIN_REPLY_LENGTH, total)];
    int pos =
        header(
            p, out, usedSname ? ByteString.of(sname) : p.sname(),
            usedFile ? ByteString.of(file) : p.file());
    pos = putInt(out, pos, MAGIC_COOKIE);
    out[pos++] = (byte) OptionCode.OVERLOAD;
    out[pos++] = 1;
    out[pos++] = (byte) overload;
    System.arraycopy(main, 0, out, pos, mainPos);
    pos += mainPos;
    out[pos] = (byte) OptionCode.END;
    return out;
  }

  /** Bytes an option takes on the wire, with RFC 3396 splitting of bodies over 255 bytes. */
  static int encodedLength(int bodyLength) {
    if (bodyLength == 0) {
      return 2;
    }
    int chunks = (bodyLength + 254) / 255;
    return bodyLength + 2 * chunks;
  }

  private static int putOption(byte[] out, int pos, int code, byte[] v) {
    if (v.length == 0) {
      out[pos++] = (byte) code;
      out[pos++] = 0;
      return pos;
    }
    for (int i = 0; i < v.length; i += 255) {
      int n = Math.min(255, v.length - i);
      out[pos++] = (byte) code;
      out[pos++] = (byte) n;
      System.arraycopy(v, i, out, pos, n);
      pos += n;
    }
    return pos;
  }

  private static int header(DhcpPacket p, byte[] out, ByteString sname, ByteString file) {
    out[0] = (byte) p.op();
    out[1] = (byte) p.htype();
    out[2] = (byte) p.hlen();
    out[3] = (byte) p.hops();
    putInt(out, 4, p.xid());
    out[8] = (byte) (p.secs() >>> 8);
    out[9] = (byte) p.secs();
    out[10] = (byte) (p.flags() >>> 8);
    out[11] = (byte) p.flags();
    putInt(out, 12, p.ciaddr());
    putInt(out, 16, p.yiaddr());
    putInt(out, 20, p.siaddr());
    putInt(out, 24, p.giaddr());
    copyField(p.chaddr(), out, 28, 16);
    copyField(sname, out, 44, 64);
    copyField(file, out, 108, 128);
    return HEADER_LENGTH;
  }

  private static void copyField(ByteString s, byte[] out, int off, int max) {
    byte[] b = s.toByteArray();
    System.arraycopy(b, 0, out, off, Math.min(b.length, max));
  }

  private static int putInt(byte[] out, int pos, int v) {
    out[pos] = (byte) (v >>> 24);
    out[pos + 1] = (byte) (v >>> 16);
    out[pos + 2] = (byte) (v >>> 8);
    out[pos + 3] = (byte) v;
    return pos + 4;
  }
}
