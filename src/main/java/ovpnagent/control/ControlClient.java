package ovpnagent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A client of the control socket: sends one request, returns the parsed response. Used by the
 * status CLI and by tests; shares nothing with the server but the wire format.
 */
public final class ControlClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RESPONSE = 64 * 1024 * 1024;

  /** Thrown when nothing listens on the socket (file missing or connection refused). */
  public static final class NotRunningException extends IOException {
    private static final long serialVersionUID = 1L;

    NotRunningException(Path socket, Throwable cause) {
      super("ovpn-agent is not running (no control socket at " + socket + ")", cause);
    }
  }

  private final Path socket;
  private final Duration timeout;

  /** A client for this socket; each call must finish within {@code timeout}. */
  public ControlClient(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /** Sends {@code {"command": command, "arguments": arguments}} and returns the response. */
  public ObjectNode call(String command, JsonNode arguments) throws IOException {
    ObjectNode req = JSON.createObjectNode();
    req.put("command", command);
    if (arguments != null) {
      req.set("arguments", arguments);
    }
    JsonNode r = JSON.readTree(callRaw((JSON.writeValueAsString(req) + "\n").getBytes(UTF8)));
    if (r == null || !r.isObject() || !r.path("result").isInt()) {
      throw new IOException("malformed control response: " + r);
    }
    return (ObjectNode) r;
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /**
   * Sends raw request bytes and returns the raw response bytes (up to the server's close).
   *
   * @throws NotRunningException if the socket file is missing or nothing accepts on it
   * @throws IOException on a timeout or a broken connection
   */
  public byte[] callRaw(byte[] request) throws IOException {
    if (!Files.exists(socket)) {
      throw new NotRunningException(socket, null);
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "control-client-timeout");
              t.setDaemon(true);
              return t;
            });
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      timer.schedule(() -> closeQuietly(ch), timeout.toMillis(), TimeUnit.MILLISECONDS);
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (ConnectException e) {
        throw new NotRunningException(socket, e);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new NotRunningException(socket, e);
      }
      try {
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
          ch.write(out);
        }
        ch.shutdownOutput();
      } catch (IOException e) {
        // the server may have answered and closed early (e.g. request too large): read it
        if (!ch.isOpen()) {
          throw new IOException("control request timed out after " + timeout.toMillis() + " ms");
        }
      }
      ByteArrayOutputStream in = new ByteArrayOutputStream();
      ByteBuffer bb = ByteBuffer.allocate(8192);
      try {
        while (ch.read(bb.clear()) >= 0) {
          in.write(bb.array(), 0, bb.position());
          if (in.size() > MAX_RESPONSE) {
            throw new IOException("control response larger than " + MAX_RESPONSE + " bytes");
          }
        }
      } catch (java.nio.channels.AsynchronousCloseException e) {
        throw new IOException("control request timed out after " + timeout.toMillis() + " ms");
      }
      return in.toByteArray();
    } finally {
      timer.shutdownNow();
    }
  }

  /** Closes a channel to end a blocked read at the deadline. */
  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
