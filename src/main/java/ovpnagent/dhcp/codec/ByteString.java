package ovpnagent.dhcp.codec;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string (chaddr, sname, file, option bodies). Copies on the way in and out. */
public final class ByteString {
  public static final ByteString EMPTY = new ByteString(new byte[0]);
  private static final ByteString ZEROS_16 = new ByteString(new byte[16]);
  private static final ByteString ZEROS_64 = new ByteString(new byte[64]);
  private static final ByteString ZEROS_128 = new ByteString(new byte[128]);
  private final byte[] bytes;

  private ByteString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code b}. */
  public static ByteString of(byte[] b) {
    return b.length == 0 ? EMPTY : new ByteString(b.clone());
  }

  /** A copy of {@code b[off, off+len)}. */
  public static ByteString of(byte[] b, int off, int len) {
    return len == 0 ? EMPTY : new ByteString(Arrays.copyOfRange(b, off, off + len));
  }

  /**
   * {@code len} zero bytes; one shared instance per common header length (chaddr 16, sname 64, file
   * 128), since every reply and most requests carry these empty fields.
   */
  public static ByteString zeros(int len) {
    switch (len) {
      case 16:
        return ZEROS_16;
      case 64:
        return ZEROS_64;
      case 128:
        return ZEROS_128;
      default:
        return len == 0 ? EMPTY : new ByteString(new byte[len]);
    }
  }

  /** Like {@link #of(byte[], int, int)}, but an all-zero range gives the shared {@link #zeros}. */
  public static ByteString ofOrZeros(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] != 0) {
        return of(b, off, len);
      }
    }
    return zeros(len);
  }

  /** From hex, with or without ':' separators. */
  public static ByteString ofHex(String hex) {
    return new ByteString(HexFormat.of().parseHex(hex.replace(":", "")));
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** The byte at {@code i}. */
  public byte byteAt(int i) {
    return bytes[i];
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Copies the bytes into {@code dst} at {@code off}. */
  public void copyTo(byte[] dst, int off) {
    System.arraycopy(bytes, 0, dst, off, bytes.length);
  }

  /** Copies at most {@code max} leading bytes into {@code dst} at {@code off}. */
  public void copyTo(byte[] dst, int off, int max) {
    System.arraycopy(bytes, 0, dst, off, Math.min(bytes.length, max));
  }

  /** Lower-case hex without separators. */
  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** True if every byte is zero (an unused sname/file field). */
  public boolean isZero() {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteString s && Arrays.equals(s.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
