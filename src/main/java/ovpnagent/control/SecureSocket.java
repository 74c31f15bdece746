package ovpnagent.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.logging.Events;

/**
 * A listening unix socket that is never reachable with loose permissions: parent directory (0755)
 * created if missing, a stale socket nobody answers on removed, bound under a temporary name, given
 * mode 0660 and the group, then renamed into place. Used by the control socket and the management
 * consoles.
 */
public final class SecureSocket {
  private static final Logger LOG = LoggerFactory.getLogger(SecureSocket.class);

  private SecureSocket() {}

  /** A bound socket and the peer policy that goes with its owner and group. */
  public record Bound(ServerSocketChannel channel, PeerPolicy policy) {}

  /**
   * Binds {@code socket}.
   *
   * @param tag distinguishes the temporary name ({@code .tag-PID.tmp})
   * @throws IOException if another process listens on the path, the path is not a socket, the group
   *     does not exist, or binding fails
   */
  public static Bound bind(Path socket, String group, String tag, int backlog) throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    removeStale(socket);
    Path tmp = dir.resolve("." + tag + "-" + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.bind(UnixDomainSocketAddress.of(tmp), backlog);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-rw----"));
      PeerPolicy policy = new PeerPolicy(Files.getOwner(tmp), group);
      if (policy.group() != null) {
        Files.getFileAttributeView(tmp, PosixFileAttributeView.class).setGroup(policy.group());
      }
      Files.move(tmp, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new Bound(ch, policy);
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /**
   * Accepts connections until {@code closing} is true or the channel is closed, handing each to
   * {@code onAccept} on this thread. A failed accept (e.g. out of file descriptors) is logged as
   * {@code event=<tag>_accept_failed} and retried after 100 ms; it never ends the loop.
   */
  @ovpnagent.util.SuppressForbidden(
      reason =
          "a pause after a failed accept (EMFILE) so the acceptor does not spin; it has no"
              + " event to wait for")
  public static void acceptLoop(
      ServerSocketChannel ch,
      java.util.function.BooleanSupplier closing,
      String tag,
      java.util.function.Consumer<SocketChannel> onAccept) {
    while (!closing.getAsBoolean()) {
      SocketChannel c;
      try {
        c = ch.accept();
      } catch (java.nio.channels.ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (closing.getAsBoolean()) {
          return;
        }
        LOG.warn("event={}_accept_failed reason={}", tag, Events.value(e.toString()));
        try {
          java.util.concurrent.TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        continue;
      }
      onAccept.accept(c);
    }
  }

  /** Closes a listening socket and removes its file; failures are logged, never thrown. */
  public static void release(ServerSocketChannel channel, Path socket) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug(
          "event=socket_close_failed socket={} reason={}",
          Events.value(socket),
          Events.value(e.toString()));
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn(
          "event=socket_remove_failed socket={} reason={}",
          Events.value(socket),
          Events.value(e.toString()));
    }
  }

  private static void removeStale(Path socket) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return;
    }
    if (!a.isOther()) {
      throw new IOException(socket + " exists and is not a socket; refusing to replace it");
    }
    boolean live;
    try {
      SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
      live = true;
    } catch (java.net.ConnectException e) {
      live = false; // nobody listening: a leftover from a crashed agent
    }
    if (live) {
      throw new IOException("another process is listening on " + socket);
    }
    Files.deleteIfExists(socket);
    LOG.info("event=stale_socket_removed socket={}", Events.value(socket));
  }
}
