package ovpnagent.dhcp.codec;

import java.util.Arrays;
import java.util.List;

/**
 * Reads the option areas of one message (RFC 2131 §4.1, RFC 2132 §§2-3, RFC 3396): options first,
 * then {@code file} and {@code sname} when option 52 asks for them. Instances of one code are
 * concatenated; a truncated option ends its area and keeps what came before; bytes after END are
 * ignored; known options with malformed bodies are dropped by {@link #finish()}. Every tolerated
 * damage is added to the defects list.
 */
final class OptionDecoder {
  private final byte[] buf;
  private final int base;
  private final List<String> defects;
  private final DhcpOptions.Builder opts = DhcpOptions.builder();

  /** Offset of the first instance of each code, in the order codes were first seen. */
  private int[] firstOffset = new int[16];

  private int seen;

  OptionDecoder(byte[] buf, int base, List<String> defects) {
    this.buf = buf;
    this.base = base;
    this.defects = defects;
  }

  /** Parses the options field; returns the option 52 value (0 if absent or invalid). */
  int parseOptionsArea(int start, int len) {
    int[] overload = {0};
    if (!parse(start, len, "options", overload)) {
      defects.add("options: no END option before the end of the packet");
    }
    return overload[0];
  }

  /** Parses an overloaded {@code file} or {@code sname} field. */
  void parseOverloadedArea(int start, int len, String area) {
    parse(start, len, area, null);
  }

  /** Returns false if the area ran out without END and without other listed damage. */
  private boolean parse(int start, int len, String area, int[] overload) {
    DhcpReader r = new DhcpReader(buf, start, len, base);
    try {
      while (r.remaining() > 0) {
        int at = r.offset();
        int code = r.u8(() -> "option code");
        if (code == OptionCode.PAD) {
          continue;
        }
        if (code == OptionCode.END) {
          return true;
        }
        int n = r.u8(() -> "option " + code + " length");
        int body = r.skip(n, () -> "option " + code + " body (length " + n + ")");
        if (code == OptionCode.OVERLOAD) {
          overload(area, at, n, overload);
          continue;
        }
        if (!opts.has(code)) {
          if (seen == firstOffset.length) {
            firstOffset = Arrays.copyOf(firstOffset, seen * 2);
          }
          firstOffset[seen++] = at;
        }
        opts.append(code, buf, body, n);
      }
    } catch (MalformedPacketException e) {
      defects.add(area + ": " + e.getMessage() + "; options before it kept");
      return true;
    }
    return false;
  }

  private void overload(String area, int at, int n, int[] overload) {
    if (overload == null) {
      defects.add("option 52 at offset " + at + " in " + area + ": ignored (expected in options)");
      return;
    }
    int v = n == 1 ? buf[base + at + 2] & 0xff : -1;
    if (n != 1) {
      defects.add("option 52 at offset " + at + ": length " + n + " (expected 1)");
    } else if (v < 1 || v > 3) {
      defects.add("option 52 at offset " + at + ": value " + v + " (expected 1, 2 or 3)");
    } else if (overload[0] != 0 && overload[0] != v) {
      defects.add(
          "option 52 at offset "
              + at
              + ": repeated with value "
              + v
              + " (kept "
              + overload[0]
              + ")");
    } else {
      overload[0] = v;
    }
  }

  /** The options, without the known ones whose (concatenated) body has the wrong shape. */
  DhcpOptions finish() {
    DhcpOptions all = opts.build();
    int[] codes = all.codes();
    boolean skipped = false;
    for (int i = 0; i < codes.length; i++) {
      String bad = OptionShapes.check(codes[i], all.raw(codes[i]));
      if (bad != null) {
        defects.add(
            "option " + codes[i] + " at offset " + firstOffset[i] + ": " + bad + "; skipped");
        opts.remove(codes[i]);
        skipped = true;
      }
    }
    return skipped ? opts.build() : all;
  }
}
