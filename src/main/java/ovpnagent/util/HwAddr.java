package ovpnagent.util;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An Ethernet MAC address (6 bytes). Immutable; copies on the way in and out. The canonical text
 * form is lower case with colons ({@code 52:50:0e:2b:80:24}).
 */
public final class HwAddr implements Comparable<HwAddr> {
  private static final HexFormat HEX = HexFormat.ofDelimiter(":");
  private final byte[] bytes;
  private final long value;

  private HwAddr(byte[] bytes) {
    this.bytes = bytes;
    long v = 0;
    for (byte b : bytes) {
      v = (v << 8) | (b & 0xff);
    }
    this.value = v;
  }

  /** A MAC from 6 bytes. */
  public static HwAddr of(byte[] b) {
    if (b.length != 6) {
      throw new IllegalArgumentException("MAC must be 6 bytes, got " + b.length);
    }
    return new HwAddr(b.clone());
  }

  /** A MAC from the first 6 bytes at {@code off}. */
  public static HwAddr of(byte[] b, int off) {
    return new HwAddr(Arrays.copyOfRange(b, off, off + 6));
  }

  /** A MAC from its 48-bit value. */
  public static HwAddr ofLong(long v) {
    byte[] b = new byte[6];
    for (int i = 5; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return new HwAddr(b);
  }

  /**
   * Parses a MAC as operators and OpenVPN write it: colon or dash separated, any case, an OpenVPN
   * {@code @vid} suffix stripped ({@code 52:50:0E:2B:80:24@0} → {@code 52:50:0e:2b:80:24}).
   *
   * @throws IllegalArgumentException naming the bad text
   */
  public static HwAddr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing MAC address");
    }
    String t = text.trim();
    int at = t.indexOf('@');
    if (at >= 0) {
      String vid = t.substring(at + 1);
      if (vid.isEmpty() || !vid.chars().allMatch(Character::isDigit) || vid.length() > 4) {
        throw new IllegalArgumentException("bad VLAN suffix in MAC '" + text + "'");
      }
      t = t.substring(0, at);
    }
    t = t.replace('-', ':').toLowerCase(Locale.ROOT);
    String[] parts = t.split(":", -1);
    if (parts.length != 6) {
      throw new IllegalArgumentException("not a MAC address: '" + text + "'");
    }
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new IllegalArgumentException("not a MAC address: '" + text + "'");
      }
      b[i] = (byte) Integer.parseInt(p, 16);
    }
    return new HwAddr(b);
  }

  /** Returns a copy of the 6 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The 48-bit value. */
  public long toLong() {
    return value;
  }

  /** Copies the 6 bytes into {@code dst} at {@code off}. */
  public void copyTo(byte[] dst, int off) {
    System.arraycopy(bytes, 0, dst, off, 6);
  }

  public boolean isBroadcast() {
    return value == 0xffffffffffffL;
  }

  public boolean isMulticast() {
    return (bytes[0] & 1) != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HwAddr h && h.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }

  @Override
  public int compareTo(HwAddr o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return HEX.formatHex(bytes);
  }
}
