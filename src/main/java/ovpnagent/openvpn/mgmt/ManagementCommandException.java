package ovpnagent.openvpn.mgmt;

/** OpenVPN answered a command with {@code ERROR: ...} (openvpn.md §2.6). */
public final class ManagementCommandException extends ManagementException {
  private static final long serialVersionUID = 1L;
  private final String command;
  private final String response;

  /** Creates the exception for a command (first word(s), never a secret) and its ERROR text. */
  public ManagementCommandException(String command, String response) {
    super("'" + command + "' failed: ERROR: " + response);
    this.command = command;
    this.response = response;
  }

  /** The command as logged (its first line). */
  public String command() {
    return command;
  }

  /** The text after {@code ERROR:}. */
  public String response() {
    return response;
  }
}
