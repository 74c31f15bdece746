package ovpnagent.dhcp.codec;

/**
 * A packet too damaged to use (shorter than the fixed header, wrong magic cookie, ...). The message
 * names the offset, what was found and what was expected.
 */
public final class MalformedPacketException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedPacketException(String message) {
    super(message);
  }
}
