package ovpnagent.dhcp.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The options of one DHCP message (RFC 2132), immutable, in wire order, at most one body per code
 * (RFC 3396 split options are concatenated on decode). Typed getters return null when an option is
 * absent or its body has the wrong length for the type.
 */
public final class DhcpOptions {
  private static final DhcpOptions EMPTY = new DhcpOptions(new byte[256][], new int[0]);
  private final byte[][] values;
  private final int[] order;

  private DhcpOptions(byte[][] values, int[] order) {
    this.values = values;
    this.order = order;
  }

  public static DhcpOptions empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    for (int c : order) {
      b.put(c, values[c]);
    }
    return b;
  }

  public boolean has(int code) {
    return code >= 0 && code < 256 && values[code] != null;
  }

  /** The codes present, in wire order. */
  public int[] codes() {
    return order.clone();
  }

  public int size() {
    return order.length;
  }

  /** A copy of the body of an option, or null. */
  public byte[] get(int code) {
    byte[] v = value(code);
    return v == null ? null : v.clone();
  }

  /** The body as a byte string, or null. */
  public ByteString bytes(int code) {
    byte[] v = value(code);
    return v == null ? null : ByteString.of(v);
  }

  /** Body length, or -1 if absent. */
  public int length(int code) {
    byte[] v = value(code);
    return v == null ? -1 : v.length;
  }

  public Integer u8(int code) {
    byte[] v = value(code);
    return v == null || v.length != 1 ? null : v[0] & 0xff;
  }

  public Integer u16(int code) {
    byte[] v = value(code);
    return v == null || v.length != 2 ? null : ((v[0] & 0xff) << 8) | (v[1] & 0xff);
  }

  public Long u32(int code) {
    byte[] v = value(code);
    return v == null || v.length != 4 ? null : readInt(v, 0) & 0xffffffffL;
  }

  public Integer ipv4(int code) {
    byte[] v = value(code);
    return v == null || v.length != 4 ? null : readInt(v, 0);
  }

  public List<Integer> ipv4List(int code) {
    byte[] v = value(code);
    List<Integer> out = new ArrayList<>();
    if (v == null || v.length % 4 != 0) {
      return out;
    }
    for (int i = 0; i < v.length; i += 4) {
      out.add(readInt(v, i));
    }
    return out;
  }

  public String string(int code) {
    byte[] v = value(code);
    if (v == null) {
      return null;
    }
    int n = v.length;
    while (n > 0 && v[n - 1] == 0) {
      n--;
    }
    return new String(v, 0, n, StandardCharsets.UTF_8);
  }

  /** Option 53, or null if absent or not one of the eight types. */
  public MessageType messageType() {
    Integer t = u8(OptionCode.MESSAGE_TYPE);
    return t == null ? null : MessageType.of(t);
  }

  /** Option 55 as a list of codes (empty if absent). */
  public int[] parameterRequestList() {
    byte[] v = values[OptionCode.PARAMETER_REQUEST_LIST];
    if (v == null) {
      return new int[0];
    }
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] & 0xff;
    }
    return out;
  }

  /** Option 61 (RFC 2132 §9.14), the client's identity when present; null if absent. */
  public ByteString clientId() {
    return bytes(OptionCode.CLIENT_ID);
  }

  /** Option 57 (RFC 2132 §9.10), or null if absent; the decoder drops values below 576. */
  public Integer maxMessageSize() {
    return u16(OptionCode.MAX_MESSAGE_SIZE);
  }

  /** Option 50 (RFC 2132 §9.1) as an IPv4 int, or null. */
  public Integer requestedIp() {
    return ipv4(OptionCode.REQUESTED_IP);
  }

  /** Option 54 (RFC 2132 §9.7) as an IPv4 int, or null. */
  public Integer serverId() {
    return ipv4(OptionCode.SERVER_ID);
  }

  /** Option 82 (RFC 3046) as the raw bytes a server echoes back unchanged, or null. */
  public ByteString relayAgentInfo() {
    return bytes(OptionCode.RELAY_AGENT_INFO);
  }

  private byte[] value(int code) {
    return code >= 0 && code < 256 ? values[code] : null;
  }

  static int readInt(byte[] v, int i) {
    return ((v[i] & 0xff) << 24) | ((v[i + 1] & 0xff) << 16) | ((v[i + 2] & 0xff) << 8)
        | (v[i + 3] & 0xff);
  }

  /** Direct access for the codec (no copy); callers must not modify. */
  byte[] raw(int code) {
    return values[code];
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DhcpOptions d) || !Arrays.equals(order, d.order)) {
      return false;
    }
    for (int c : order) {
      if (!Arrays.equals(values[c], d.values[c])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(order);
    for (int c : order) {
      h = 31 * h + Arrays.hashCode(values[c]);
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int c : order) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(c).append('=').append(ByteString.of(values[c]).toHex());
    }
    return sb.append('}').toString();
  }

  /** Builds an options set; a later put of the same code replaces the body but keeps its position. */
  public static final class Builder {
    private final byte[][] values = new byte[256][];
    private final int[] order = new int[256];
    private int n;

    private Builder() {}

    public Builder put(int code, byte[] body) {
      checkCode(code);
      if (values[code] == null) {
        order[n++] = code;
      }
      values[code] = body.clone();
      return this;
    }

    /** Appends to an existing body (RFC 3396 concatenation), or puts a new one. */
    public Builder append(int code, byte[] body, int off, int len) {
      checkCode(code);
      byte[] old = values[code];
      if (old == null) {
        return put(code, Arrays.copyOfRange(body, off, off + len));
      }
      byte[] v = Arrays.copyOf(old, old.length + len);
      System.arraycopy(body, off, v, old.length, len);
      values[code] = v;
      return this;
    }

    /** Puts a body given as a byte string (e.g. option 82 echoed from a request). */
    public Builder put(int code, ByteString body) {
      return put(code, body.toByteArray());
    }

    public Builder putU8(int code, int v) {
      return put(code, new byte[] {(byte) v});
    }

    public Builder putU16(int code, int v) {
      return put(code, new byte[] {(byte) (v >>> 8), (byte) v});
    }

    public Builder putU32(int code, long v) {
      return put(
          code, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    public Builder putIpv4(int code, int v) {
      return putU32(code, v & 0xffffffffL);
    }

    public Builder putIpv4List(int code, List<Integer> list) {
      byte[] b = new byte[list.size() * 4];
      for (int i = 0; i < list.size(); i++) {
        int v = list.get(i);
        b[4 * i] = (byte) (v >>> 24);
        b[4 * i + 1] = (byte) (v >>> 16);
        b[4 * i + 2] = (byte) (v >>> 8);
        b[4 * i + 3] = (byte) v;
      }
      return put(code, b);
    }

    public Builder putString(int code, String s) {
      return put(code, s.getBytes(StandardCharsets.UTF_8));
    }

    public Builder messageType(MessageType t) {
      return putU8(OptionCode.MESSAGE_TYPE, t.code());
    }

    private static void checkCode(int code) {
      if (code <= 0 || code >= 255) {
        throw new IllegalArgumentException("option code " + code + " cannot carry a body");
      }
    }

    public Builder remove(int code) {
      if (code > 0 && code < 255 && values[code] != null) {
        values[code] = null;
        int j = 0;
        for (int i = 0; i < n; i++) {
          if (order[i] != code) {
            order[j++] = order[i];
          }
        }
        n = j;
      }
      return this;
    }

    public boolean has(int code) {
      return code >= 0 && code < 256 && values[code] != null;
    }

    public DhcpOptions build() {
      return new DhcpOptions(values.clone(), Arrays.copyOf(order, n));
    }
  }
}
