package ovpnagent.dhcp.codec;

/**
 * A packet too damaged to use (shorter than the fixed header, wrong magic cookie). The message
 * names the offset, what was found and what was expected, e.g. {@code magic cookie at offset 236:
 * 0x00000000 (expected 0x63825363)}; the codec throws no other exception for bad input.
 */
public final class MalformedPacketException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int offset;

  /** An exception without a known offset ({@link #offset()} returns -1). */
  public MalformedPacketException(String message) {
    this(message, -1);
  }

  /** An exception for damage found at {@code offset} bytes into the packet. */
  public MalformedPacketException(String message, int offset) {
    super(message);
    this.offset = offset;
  }

  /** The offset into the packet where the damage was found, or -1 if unknown. */
  public int offset() {
    return offset;
  }
}
