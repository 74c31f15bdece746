package ovpnagent.openvpn.mgmt.protocol;

/**
 * A management line or block that does not follow openvpn.md §2; the message says found/expected.
 */
public final class MgmtProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a found/expected message. */
  public MgmtProtocolException(String message) {
    super(message);
  }

  /** Creates the exception wrapping a lower-level cause. */
  public MgmtProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
