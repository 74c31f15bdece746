package ovpnagent.openvpn.conf;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where an instance's management interface listens ({@code management PATH unix [pw-file]} or
 * {@code management HOST PORT [pw-file]}). Only the password file's path is kept; the password is
 * never read here.
 *
 * @param kind unix socket or TCP
 * @param unixPath the socket path ({@link Kind#UNIX}), absolute
 * @param host the listen host ({@link Kind#TCP}) as written
 * @param port the listen port ({@link Kind#TCP})
 * @param passwordFile the password file, absolute, or null (none, or {@code stdin})
 * @param passwordFromStdin true if the password is read from OpenVPN's stdin
 */
public record ManagementEndpoint(
    Kind kind, Path unixPath, String host, int port, Path passwordFile, boolean passwordFromStdin) {

  /** Transport of the management interface. */
  public enum Kind {
    /** A unix-domain socket. */
    UNIX,
    /** A TCP socket (cleartext). */
    TCP
  }

  /** A unix socket endpoint. */
  public static ManagementEndpoint unix(Path path, Path passwordFile) {
    return new ManagementEndpoint(Kind.UNIX, path, null, 0, passwordFile, false);
  }

  /** A TCP endpoint. */
  public static ManagementEndpoint tcp(String host, int port, Path passwordFile) {
    return new ManagementEndpoint(Kind.TCP, null, host, port, passwordFile, false);
  }

  /** True if a password is asked for (a password file or stdin). */
  public boolean hasPassword() {
    return passwordFile != null || passwordFromStdin;
  }

  /**
   * True for a unix socket or a TCP listener on a loopback literal ({@code 127.0.0.0/8}, {@code
   * ::1}, {@code localhost}); host names are not resolved.
   */
  public boolean isLocal() {
    if (kind == Kind.UNIX) {
      return true;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.equals("::1") || h.equals("[::1]")) {
      return true;
    }
    return h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  /** The endpoint without the password: {@code unix:/run/x.sock} or {@code tcp:127.0.0.1:7505}. */
  public String address() {
    return kind == Kind.UNIX ? "unix:" + unixPath : "tcp:" + host + ":" + port;
  }

  @Override
  public String toString() {
    String pw =
        passwordFromStdin
            ? " (password from stdin)"
            : passwordFile != null ? " (password file " + passwordFile + ")" : " (no password)";
    return address() + pw;
  }
}
