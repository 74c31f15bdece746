package ovpnagent.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.boot.Service;
import ovpnagent.config.ControlConfig;
import ovpnagent.logging.Events;

/**
 * The control socket (Kea's control channel, dhcp.md §6): a unix socket at {@link
 * ControlConfig#socket()}, mode 0660, group {@link ControlConfig#group()}; one JSON request line
 * {@code {"command": "...", "arguments": {...}}} per connection, answered by one JSON line {@code
 * {"result": N, "text": "...", "arguments": ...}}, then the connection closes. Peers that are
 * neither root nor in the group ({@code SO_PEERCRED}) are refused; a request over the size cap, a
 * request not finished before the read deadline, bad JSON and handler failures each get a result-1
 * answer (or a close, on the deadline) and never stop the server. A bounded pool of platform
 * threads serves connections; when it is full, new connections get a "busy" answer.
 */
public final class ControlServer implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Limits of the control channel.
   *
   * @param maxRequestBytes longest request accepted (the line, without its newline)
   * @param readTimeout time allowed to receive the request after accept, and to write the answer
   * @param workers threads handling connections
   * @param queue connections waiting for a worker before new ones are answered "busy"
   */
  public record Limits(int maxRequestBytes, Duration readTimeout, int workers, int queue) {
    /**
     * 64 KiB, 10 s (Kea's fixed connection timeout), 4 workers, 256 waiting (a router coming up
     * makes OpenVPN run learn-address once per MAC behind it, each hook a connection).
     */
    public static final Limits DEFAULT = new Limits(64 * 1024, Duration.ofSeconds(10), 4, 256);

    public Limits {
      if (maxRequestBytes < 64 || workers < 1 || queue < 1 || readTimeout.isNegative()) {
        throw new IllegalArgumentException("bad control limits");
      }
    }
  }

  private final Path socket;
  private final String group;
  private final CommandRegistry registry;
  private final Limits limits;
  private ServerSocketChannel server;
  private ThreadPoolExecutor workers;
  private ScheduledThreadPoolExecutor deadlines;
  private Thread acceptor;
  private PeerPolicy policy;
  private volatile boolean closing;

  /** A server for {@code config} with {@link Limits#DEFAULT}. */
  public ControlServer(ControlConfig config, CommandRegistry registry) {
    this(config, registry, Limits.DEFAULT);
  }

  /** A server for {@code config} with explicit limits. */
  public ControlServer(ControlConfig config, CommandRegistry registry, Limits limits) {
    this.socket = config.socket();
    this.group = config.group();
    this.registry = registry;
    this.limits = limits;
  }

  @Override
  public String name() {
    return "control";
  }

  /** The socket path. */
  public Path socket() {
    return socket;
  }

  /**
   * Creates the socket: parent directory (0755) if missing, a stale socket file removed, bound
   * under a temporary name, given mode 0660 and the group, then renamed into place so that it is
   * never reachable with looser permissions.
   *
   * @throws IOException if another process answers on the socket, the path is not a socket, the
   *     group does not exist, or binding fails
   */
  @Override
  public synchronized void start() throws IOException {
    SecureSocket.Bound bound = SecureSocket.bind(socket, group, "ctl", 128);
    ServerSocketChannel ch = bound.channel();
    policy = bound.policy();
    server = ch;
    closing = false;
    AtomicInteger n = new AtomicInteger();
    workers =
        new ThreadPoolExecutor(
            limits.workers(),
            limits.workers(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(limits.queue()),
            r -> daemon(r, "control-" + n.incrementAndGet()),
            new ThreadPoolExecutor.AbortPolicy());
    workers.allowCoreThreadTimeOut(true);
    deadlines = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "control-deadline"));
    deadlines.setRemoveOnCancelPolicy(true);
    acceptor = daemon(() -> acceptLoop(ch), "control-accept");
    acceptor.start();
    LOG.info(
        "event=control_listening socket={} mode=0660 allowed={}",
        Events.value(socket),
        Events.value(policy));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void acceptLoop(ServerSocketChannel ch) {
    SecureSocket.acceptLoop(ch, () -> closing, "control", this::dispatch);
  }

  private void dispatch(SocketChannel c) {
    try {
      workers.execute(() -> serve(c));
    } catch (RejectedExecutionException e) {
      registry.metrics().inc("control.busy");
      LOG.warn("event=control_busy");
      reply(c, ControlResponse.error("busy: too many control connections, try again"));
      finish(c);
    }
  }

  private void serve(SocketChannel c) {
    try {
      UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
      // Read the request first, also from a peer we will refuse: answering before the peer has
      // written would let its write fail (EPIPE) and lose our answer.
      ScheduledFuture<?> deadline = closeAt(c);
      byte[] request;
      try {
        request = readRequest(c);
      } finally {
        deadline.cancel(false);
      }
      if (!policy.allows(peer)) {
        registry.metrics().inc("control.refused");
        LOG.warn(
            "event=control_peer_refused user={} group={}",
            Events.value(peer.user().getName()),
            Events.value(peer.group().getName()));
        reply(
            c,
            ControlResponse.error(
                "permission denied: user "
                    + peer.user().getName()
                    + " is not allowed (needs "
                    + policy
                    + ")"));
        return;
      }
      if (request == null) {
        return;
      }
      ControlResponse r = handle(request);
      ScheduledFuture<?> writeDeadline = closeAt(c);
      try {
        reply(c, r);
      } finally {
        writeDeadline.cancel(false);
      }
    } catch (AsynchronousCloseException e) {
      registry.metrics().inc("control.timeouts");
      LOG.warn("event=control_timeout ms={}", limits.readTimeout().toMillis());
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=control_connection_failed reason={}", Events.value(e.toString()));
    } finally {
      finish(c);
    }
  }

  /**
   * Ends a connection: sends EOF, discards what the client already sent but we did not read (on
   * Linux, closing a unix socket with unread input resets the peer, which would lose our answer),
   * then closes.
   */
  private static void finish(SocketChannel c) {
    try {
      if (c.isOpen()) {
        c.shutdownOutput();
        c.configureBlocking(false);
        ByteBuffer sink = ByteBuffer.allocate(16 * 1024);
        int total = 0;
        int n;
        while (total < 1024 * 1024 && (n = c.read(sink.clear())) > 0) {
          total += n;
        }
      }
    } catch (IOException e) {
      // the client went away; nothing to drain
    }
    closeQuietly(c);
  }

  private ScheduledFuture<?> closeAt(SocketChannel c) {
    return deadlines.schedule(
        () -> closeQuietly(c), limits.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads one request; replies and returns null if it is too large or empty. */
  private byte[] readRequest(SocketChannel c) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ByteBuffer bb = ByteBuffer.allocate(8192);
    int max = limits.maxRequestBytes();
    while (true) {
      bb.clear();
      int n = c.read(bb);
      if (n < 0) {
        break;
      }
      byte[] a = bb.array();
      int nl = -1;
      for (int i = 0; i < n; i++) {
        if (a[i] == '\n') {
          nl = i;
          break;
        }
      }
      buf.write(a, 0, nl >= 0 ? nl : n);
      if (buf.size() > max) {
        registry.metrics().inc("control.too_large");
        LOG.warn("event=control_request_too_large max_bytes={}", max);
        reply(c, ControlResponse.error("request too large (max " + max + " bytes)"));
        return null;
      }
      if (nl >= 0 || (n > 0 && a[n - 1] == '}' && complete(buf.toByteArray()))) {
        break;
      }
    }
    if (buf.size() == 0) {
      reply(c, ControlResponse.error("empty request"));
      return null;
    }
    return buf.toByteArray();
  }

  /** True if the bytes so far are one whole JSON value (a client that sends no newline). */
  private static boolean complete(byte[] b) {
    try {
      JSON.readTree(b);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private ControlResponse handle(byte[] request) {
    JsonNode req;
    try {
      req = JSON.readTree(request);
    } catch (JsonProcessingException e) {
      registry.metrics().inc("control.bad_request");
      return ControlResponse.error("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return ControlResponse.error("invalid JSON: " + e.getMessage());
    }
    if (req == null || !req.isObject()) {
      registry.metrics().inc("control.bad_request");
      return ControlResponse.error("request must be a JSON object with a 'command'");
    }
    JsonNode cmd = req.get("command");
    if (cmd == null || !cmd.isTextual() || cmd.asText().isEmpty()) {
      registry.metrics().inc("control.bad_request");
      return ControlResponse.error("missing 'command'");
    }
    JsonNode args = req.get("arguments");
    if (args != null && !args.isNull() && !args.isObject()) {
      registry.metrics().inc("control.bad_request");
      return ControlResponse.error("'arguments' must be a JSON object");
    }
    long t0 = System.nanoTime();
    ControlResponse r = registry.dispatch(cmd.asText(), args);
    LOG.debug(
        "event=control_command command={} result={} ms={}",
        Events.value(cmd.asText()),
        r.result(),
        (System.nanoTime() - t0) / 1_000_000);
    return r;
  }

  private static void reply(SocketChannel c, ControlResponse r) {
    try {
      byte[] out = (JSON.writeValueAsString(r.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
      ByteBuffer bb = ByteBuffer.wrap(out);
      while (bb.hasRemaining()) {
        c.write(bb);
      }
    } catch (IOException e) {
      LOG.debug("event=control_reply_failed reason={}", Events.value(e.toString()));
    }
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** Stops accepting, ends the workers and removes the socket file. */
  @Override
  public synchronized void close() {
    closing = true;
    if (server != null) {
      SecureSocket.release(server, socket);
      server = null;
    }
    if (acceptor != null) {
      try {
        acceptor.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      acceptor = null;
    }
    if (workers != null) {
      workers.shutdownNow();
      workers = null;
    }
    if (deadlines != null) {
      deadlines.shutdownNow();
      deadlines = null;
    }
  }
}
