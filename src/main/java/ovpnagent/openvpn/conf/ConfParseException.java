package ovpnagent.openvpn.conf;

import java.nio.file.Path;

/**
 * An OpenVPN config file that cannot be read or interpreted; the message is {@code FILE:LINE:
 * reason} (line 0 when the problem is the file as a whole).
 */
public final class ConfParseException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final int line;
  private final String reason;

  /** A problem at {@code file:line} ({@code line} 0 = the file as a whole). */
  public ConfParseException(Path file, int line, String reason) {
    super(format(file, line, reason));
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  /** A problem at {@code file:line} caused by a lower-level exception. */
  public ConfParseException(Path file, int line, String reason, Throwable cause) {
    super(format(file, line, reason), cause);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  private static String format(Path file, int line, String reason) {
    return (file == null ? "<unknown>" : file.toString())
        + (line > 0 ? ":" + line : "")
        + ": "
        + reason;
  }

  /** The file the problem is in. */
  public Path file() {
    return file;
  }

  /** The 1-based line number, or 0 when the problem concerns the whole file. */
  public int line() {
    return line;
  }

  /** The problem without the file and line prefix. */
  public String reason() {
    return reason;
  }
}
