package ovpnagent.openvpn.mgmt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/** Opens one blocking byte channel to a management interface; the client's only I/O seam. */
public interface ManagementTransport {
  /**
   * Connects; the returned channel is blocking and closing it unblocks a pending read.
   *
   * @throws IOException if the interface cannot be reached
   */
  SocketChannel connect(Duration timeout) throws IOException;

  /** A short description for logs. */
  String describe();

  /** A unix-domain socket via the JDK's own channels (JEP 380). */
  static ManagementTransport unix(Path path) {
    return new ManagementTransport() {
      @Override
      public SocketChannel connect(Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          ch.connect(UnixDomainSocketAddress.of(path));
          return ch;
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
      }

      @Override
      public String describe() {
        return "unix:" + path;
      }
    };
  }

  /** A TCP connection (OpenVPN listens on loopback). */
  static ManagementTransport tcp(String host, int port) {
    return new ManagementTransport() {
      @Override
      public SocketChannel connect(Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
          ch.socket().connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
          ch.socket().setTcpNoDelay(true);
          return ch;
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
      }

      @Override
      public String describe() {
        return "tcp:" + host + ":" + port;
      }
    };
  }
}
