package ovpnagent.openvpn.mgmt;

import java.nio.file.Path;

/**
 * Where an instance's management interface listens ({@code management PATH unix [pw]} or {@code
 * management HOST PORT [pw]}, openvpn.md §2.1).
 *
 * @param unixPath the socket path, or null for TCP
 * @param host the TCP host (null for unix)
 * @param port the TCP port (0 for unix)
 * @param passwordFile the password file, or null
 */
public record ManagementEndpoint(Path unixPath, String host, int port, Path passwordFile) {
  public ManagementEndpoint {
    if ((unixPath == null) == (host == null)) {
      throw new IllegalArgumentException("management endpoint needs either a unix path or a host");
    }
    if (host != null && (port <= 0 || port > 65535)) {
      throw new IllegalArgumentException("management port out of range: " + port);
    }
  }

  /** A unix-socket endpoint. */
  public static ManagementEndpoint unix(Path path, Path passwordFile) {
    return new ManagementEndpoint(path, null, 0, passwordFile);
  }

  /** A TCP endpoint. */
  public static ManagementEndpoint tcp(String host, int port, Path passwordFile) {
    return new ManagementEndpoint(null, host, port, passwordFile);
  }

  /** The transport that connects here. */
  public ManagementTransport transport() {
    return unixPath != null
        ? ManagementTransport.unix(unixPath)
        : ManagementTransport.tcp(host, port);
  }

  @Override
  public String toString() {
    return unixPath != null ? unixPath + " unix" : host + ":" + port;
  }
}
