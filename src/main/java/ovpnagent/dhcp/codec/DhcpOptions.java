package ovpnagent.dhcp.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The options of one DHCP message (RFC 2132), immutable, in wire order, at most one body per code
 * (RFC 3396 split options are concatenated on decode). Typed getters return null when an option is
 * absent or its body has the wrong length for the type; codes outside 0-255 are simply absent.
 */
public final class DhcpOptions {
  private static final DhcpOptions EMPTY = new DhcpOptions(new int[0], new byte[0][]);

  /**
   * Codes in wire order; {@code bodies[i]} belongs to {@code codes[i]}. A message has few options.
   */
  private final int[] codes;

  private final byte[][] bodies;

  private DhcpOptions(int[] codes, byte[][] bodies) {
    this.codes = codes;
    this.bodies = bodies;
  }

  /** The empty option set. */
  public static DhcpOptions empty() {
    return EMPTY;
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options in the same order. */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (int i = 0; i < codes.length; i++) {
      b.put(codes[i], bodies[i]);
    }
    return b;
  }

  /** Whether the option is present. */
  public boolean has(int code) {
    return value(code) != null;
  }

  /** The codes present, in wire order. */
  public int[] codes() {
    return codes.clone();
  }

  /** The number of options present. */
  public int size() {
    return codes.length;
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

  /** A one-byte body as an unsigned value, or null. */
  public Integer u8(int code) {
    byte[] v = value(code);
    return v == null || v.length != 1 ? null : v[0] & 0xff;
  }

  /** A two-byte body as an unsigned value, or null. */
  public Integer u16(int code) {
    byte[] v = value(code);
    return v == null || v.length != 2 ? null : ((v[0] & 0xff) << 8) | (v[1] & 0xff);
  }

  /** A four-byte body as an unsigned value, or null. */
  public Long u32(int code) {
    byte[] v = value(code);
    return v == null || v.length != 4 ? null : readInt(v, 0) & 0xffffffffL;
  }

  /** A four-byte body as an IPv4 int, or null. */
  public Integer ipv4(int code) {
    byte[] v = value(code);
    return v == null || v.length != 4 ? null : readInt(v, 0);
  }

  /** A body of IPv4 addresses; empty if absent or not a multiple of 4 bytes. */
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

  /** A text body as UTF-8 with trailing NULs removed (some clients NUL-terminate), or null. */
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

  /** Option 55 (RFC 2132 §9.8) as a list of codes in the client's order (empty if absent). */
  public int[] parameterRequestList() {
    byte[] v = value(OptionCode.PARAMETER_REQUEST_LIST);
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
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] == code) {
        return bodies[i];
      }
    }
    return null;
  }

  static int readInt(byte[] v, int i) {
    return ((v[i] & 0xff) << 24)
        | ((v[i + 1] & 0xff) << 16)
        | ((v[i + 2] & 0xff) << 8)
        | (v[i + 3] & 0xff);
  }

  /** Direct access for the codec (no copy); callers must not modify. */
  byte[] raw(int code) {
    return value(code);
  }

  /** The code of the {@code i}-th option in wire order (codec only, no copy). */
  int codeAt(int i) {
    return codes[i];
  }

  /** The body of the {@code i}-th option in wire order (codec only, no copy; do not modify). */
  byte[] bodyAt(int i) {
    return bodies[i];
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DhcpOptions d) || !Arrays.equals(codes, d.codes)) {
      return false;
    }
    for (int i = 0; i < codes.length; i++) {
      if (!Arrays.equals(bodies[i], d.bodies[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(codes);
    for (byte[] b : bodies) {
      h = 31 * h + Arrays.hashCode(b);
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < codes.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(codes[i]).append('=').append(ByteString.of(bodies[i]).toHex());
    }
    return sb.append('}').toString();
  }

  /**
   * Builds an options set; a later put of the same code replaces the body but keeps its position.
   */
  public static final class Builder {
    private int[] codes = new int[16];
    private byte[][] bodies = new byte[16][];
    private int n;

    private Builder() {}

    private int index(int code) {
      for (int i = 0; i < n; i++) {
        if (codes[i] == code) {
          return i;
        }
      }
      return -1;
    }

    private void set(int code, byte[] body) {
      int i = index(code);
      if (i >= 0) {
        bodies[i] = body;
        return;
      }
      if (n == codes.length) {
        codes = Arrays.copyOf(codes, n * 2);
        bodies = Arrays.copyOf(bodies, n * 2);
      }
      codes[n] = code;
      bodies[n++] = body;
    }

    /** Puts a copy of {@code body} under {@code code} (1-254). */
    public Builder put(int code, byte[] body) {
      checkCode(code);
      set(code, body.clone());
      return this;
    }

    /** Puts a body given as a byte string (e.g. option 82 echoed from a request). */
    public Builder put(int code, ByteString body) {
      checkCode(code);
      set(code, body.toByteArray());
      return this;
    }

    /** Appends to an existing body (RFC 3396 concatenation), or puts a new one. */
    public Builder append(int code, byte[] body, int off, int len) {
      checkCode(code);
      int i = index(code);
      if (i < 0) {
        set(code, Arrays.copyOfRange(body, off, off + len));
        return this;
      }
      byte[] old = bodies[i];
      byte[] v = Arrays.copyOf(old, old.length + len);
      System.arraycopy(body, off, v, old.length, len);
      bodies[i] = v;
      return this;
    }

    /** Puts a one-byte body. */
    public Builder putU8(int code, int v) {
      return put(code, new byte[] {(byte) v});
    }

    /** Puts a two-byte big-endian body. */
    public Builder putU16(int code, int v) {
      return put(code, new byte[] {(byte) (v >>> 8), (byte) v});
    }

    /** Puts a four-byte big-endian body. */
    public Builder putU32(int code, long v) {
      return put(
          code, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** Puts an IPv4 address (int form). */
    public Builder putIpv4(int code, int v) {
      return putU32(code, v & 0xffffffffL);
    }

    /** Puts a list of IPv4 addresses (int form). */
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

    /** Puts text as UTF-8 (no NUL terminator, RFC 2132 §2). */
    public Builder putString(int code, String s) {
      return put(code, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts option 53. */
    public Builder messageType(MessageType t) {
      return putU8(OptionCode.MESSAGE_TYPE, t.code());
    }

    private static void checkCode(int code) {
      if (code <= 0 || code >= 255) {
        throw new IllegalArgumentException("option code " + code + " cannot carry a body");
      }
    }

    /** Removes an option if present. */
    public Builder remove(int code) {
      int i = index(code);
      if (i >= 0) {
        System.arraycopy(codes, i + 1, codes, i, n - i - 1);
        System.arraycopy(bodies, i + 1, bodies, i, n - i - 1);
        bodies[--n] = null;
      }
      return this;
    }

    /** Whether the option is present. */
    public boolean has(int code) {
      return index(code) >= 0;
    }

    /** The immutable option set. */
    public DhcpOptions build() {
      return n == 0 ? EMPTY : new DhcpOptions(Arrays.copyOf(codes, n), Arrays.copyOf(bodies, n));
    }
  }
}
