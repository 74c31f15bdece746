package ovpnagent.openvpn.mgmt;

/** A command could not complete: not connected, timed out, connection lost, or refused. */
public class ManagementException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public ManagementException(String message) {
    super(message);
  }

  /** Creates the exception with a cause. */
  public ManagementException(String message, Throwable cause) {
    super(message, cause);
  }
}
