package ovpnagent.dhcp.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out the options of one message (RFC 2131 §4.1, RFC 2132 §9.3, RFC 3396, RFC 3046 §2.1).
 *
 * <p>If everything fits in {@code limit}, the options go into the options field in order, option 82
 * last. Otherwise option 52 comes first, then 53; the other options go whole into the first area
 * with room (options, then {@code file}, then {@code sname}, each only if the packet leaves it
 * unused); an option too long for any single area is split across areas in that order; option 82
 * closes the options field. Each used area ends with END.
 */
final class OptionEncoder {
  private static final int MAIN = 0;
  private static final int FILE = 1;
  private static final int SNAME = 2;

  private OptionEncoder() {}

  static byte[] encode(DhcpPacket p, int limit) {
    DhcpOptions o = p.options();
    int n = o.size();
    int total = 0;
    int relay = 0;
    for (int i = 0; i < n; i++) {
      int c = o.codeAt(i);
      if (c == OptionCode.RELAY_AGENT_INFO) {
        relay = encodedLength(o.bodyAt(i).length);
      } else if (c != OptionCode.OVERLOAD) {
        total += encodedLength(o.bodyAt(i).length);
      }
    }
    if (DhcpCodec.OPTIONS_OFFSET + total + relay + 1 <= limit) {
      byte[] out =
          new byte
              [Math.max(DhcpCodec.MIN_REPLY_LENGTH, DhcpCodec.OPTIONS_OFFSET + total + relay + 1)];
      DhcpCodec.writeHeader(p, out, true, true);
      int pos = DhcpCodec.OPTIONS_OFFSET;
      for (int i = 0; i < n; i++) {
        int c = o.codeAt(i);
        if (c != OptionCode.OVERLOAD && c != OptionCode.RELAY_AGENT_INFO) {
          byte[] v = o.bodyAt(i);
          pos = put(out, pos, c, v, 0, v.length);
        }
      }
      pos = putRelay(out, pos, o);
      out[pos] = (byte) OptionCode.END;
      return out;
    }
    List<Integer> flow = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = o.codeAt(i);
      if (c != OptionCode.OVERLOAD && c != OptionCode.RELAY_AGENT_INFO) {
        flow.add(c);
      }
    }
    return overloaded(p, flow, relay, limit);
  }

  private static byte[] overloaded(DhcpPacket p, List<Integer> flow, int relay, int limit) {
    DhcpOptions o = p.options();
    int type =
        o.has(OptionCode.MESSAGE_TYPE) ? encodedLength(o.raw(OptionCode.MESSAGE_TYPE).length) : 0;
    // Options field: cookie, 52 (3 bytes), 53, [flowing options], 82, END.
    int mainRoom = limit - DhcpCodec.OPTIONS_OFFSET - 3 - type - relay - 1;
    if (mainRoom < 0) {
      throw new IllegalArgumentException(
          "options 53 and 82 need "
              + (type + relay)
              + " bytes; a "
              + limit
              + "-byte message has room for "
              + (limit - DhcpCodec.OPTIONS_OFFSET - 4));
    }
    // Areas hold option bytes only; the END of each is accounted for in its room.
    byte[][] area = {
      new byte[mainRoom], new byte[DhcpCodec.FILE_LENGTH], new byte[DhcpCodec.SNAME_LENGTH]
    };
    int[] room = {
      mainRoom,
      p.file().isZero() ? DhcpCodec.FILE_LENGTH - 1 : 0,
      p.sname().isZero() ? DhcpCodec.SNAME_LENGTH - 1 : 0
    };
    int[] used = new int[3];
    for (int c : flow) {
      if (c == OptionCode.MESSAGE_TYPE) {
        continue;
      }
      byte[] v = o.raw(c);
      int need = encodedLength(v.length);
      int a = MAIN;
      while (a <= SNAME && room[a] - used[a] < need) {
        a++;
      }
      if (a <= SNAME) {
        used[a] = put(area[a], used[a], c, v, 0, v.length);
      } else {
        split(c, v, area, room, used, limit);
      }
    }
    int overload = (used[FILE] > 0 ? 1 : 0) | (used[SNAME] > 0 ? 2 : 0);
    int length = DhcpCodec.OPTIONS_OFFSET + (overload != 0 ? 3 : 0) + type + used[MAIN] + relay + 1;
    byte[] out = new byte[Math.max(DhcpCodec.MIN_REPLY_LENGTH, length)];
    DhcpCodec.writeHeader(p, out, used[SNAME] == 0, used[FILE] == 0);
    int pos = DhcpCodec.OPTIONS_OFFSET;
    if (overload != 0) {
      out[pos++] = (byte) OptionCode.OVERLOAD;
      out[pos++] = 1;
      out[pos++] = (byte) overload;
    }
    if (type > 0) {
      byte[] t = o.raw(OptionCode.MESSAGE_TYPE);
      pos = put(out, pos, OptionCode.MESSAGE_TYPE, t, 0, t.length);
    }
    System.arraycopy(area[MAIN], 0, out, pos, used[MAIN]);
    pos = putRelay(out, pos + used[MAIN], o);
    out[pos] = (byte) OptionCode.END;
    if (used[FILE] > 0) {
      System.arraycopy(area[FILE], 0, out, DhcpCodec.FILE_OFFSET, used[FILE]);
      out[DhcpCodec.FILE_OFFSET + used[FILE]] = (byte) OptionCode.END;
    }
    if (used[SNAME] > 0) {
      System.arraycopy(area[SNAME], 0, out, DhcpCodec.SNAME_OFFSET, used[SNAME]);
      out[DhcpCodec.SNAME_OFFSET + used[SNAME]] = (byte) OptionCode.END;
    }
    return out;
  }

  /** RFC 3396: instances of one option in area order, each as long as the area's room allows. */
  private static void split(int c, byte[] v, byte[][] area, int[] room, int[] used, int limit) {
    int done = 0;
    for (int a = MAIN; a <= SNAME && done < v.length; a++) {
      while (done < v.length && room[a] - used[a] >= 3) {
        int n = Math.min(Math.min(255, room[a] - used[a] - 2), v.length - done);
        used[a] = put(area[a], used[a], c, v, done, n);
        done += n;
      }
    }
    if (done < v.length || v.length == 0) {
      throw new IllegalArgumentException(
          "option "
              + c
              + " ("
              + v.length
              + " bytes) does not fit in a "
              + limit
              + "-byte message even with option overload");
    }
  }

  private static int putRelay(byte[] out, int pos, DhcpOptions o) {
    byte[] r = o.raw(OptionCode.RELAY_AGENT_INFO);
    return r == null ? pos : put(out, pos, OptionCode.RELAY_AGENT_INFO, r, 0, r.length);
  }

  /** Bytes an option takes on the wire, with RFC 3396 splitting of bodies over 255 bytes. */
  static int encodedLength(int bodyLength) {
    if (bodyLength == 0) {
      return 2;
    }
    int chunks = (bodyLength + 254) / 255;
    return bodyLength + 2 * chunks;
  }

  /** Writes {@code v[from, from+len)} as one or more instances of {@code code}; returns the end. */
  private static int put(byte[] out, int pos, int code, byte[] v, int from, int len) {
    if (len == 0) {
      out[pos++] = (byte) code;
      out[pos++] = 0;
      return pos;
    }
    for (int i = 0; i < len; i += 255) {
      int n = Math.min(255, len - i);
      out[pos++] = (byte) code;
      out[pos++] = (byte) n;
      System.arraycopy(v, from + i, out, pos, n);
      pos += n;
    }
    return pos;
  }
}
