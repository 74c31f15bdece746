package ovpnagent.openvpn.mgmt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.protocol.CommandResult;
import ovpnagent.openvpn.mgmt.protocol.MgmtCommands;
import ovpnagent.openvpn.mgmt.protocol.MgmtEvent;
import ovpnagent.openvpn.mgmt.protocol.MgmtParser;
import ovpnagent.openvpn.mgmt.protocol.MgmtProtocolException;
import ovpnagent.openvpn.mgmt.protocol.StatusParser;
import ovpnagent.openvpn.mgmt.protocol.StatusSnapshot;

/**
 * The management client of one OpenVPN instance (openvpn.md §2, §3.4): holds one connection at a
 * time, answers the password prompt, checks {@code version}, sends {@code state on}, releases every
 * {@code >HOLD:}, runs {@code status 3} after each connect, and reconnects with backoff when the
 * socket goes away or a command times out. One reader thread per connection routes {@code >} lines
 * to the {@link Listener} and every other line to the oldest outstanding command. Commands are
 * written one at a time under a lock and queued in a reply FIFO in wire order, so several may be
 * outstanding (OpenVPN replies in order; observed with 2.6.14: 6,000 pipelined commands, 234 KB in
 * one write, all answered in order); each has its own timeout, after which the connection is
 * dropped because the FIFO can no longer be trusted (openvpn.md §2.7).
 */
public final class ManagementClient implements AutoCloseable {
  /** Oldest management version accepted ({@code Management Version: N}); 2.4 reports 1. */
  public static final int MIN_MANAGEMENT_VERSION = 1;

  private static final Logger log = LoggerFactory.getLogger(ManagementClient.class);
  private static final int MAX_REPLY_LINES = 100_000;

  /** Receives events on the reader thread; implementations must not block. */
  public interface Listener {
    /** A notification, tagged with the connection epoch its CIDs belong to. */
    void onEvent(long epoch, MgmtEvent event);

    /**
     * A (re)connect finished its handshake; {@code status} is the fresh {@code status 3}. Called on
     * the reader thread before any line after the reply, so must not block either.
     */
    default void onConnected(long epoch, StatusSnapshot status) {}

    /** OpenVPN restarted ({@code >STATE:...,RECONNECTING}): CIDs of older epochs are void. */
    default void onEpochChanged(long epoch) {}

    /** The connection of this epoch was lost. */
    default void onDisconnected(long epoch) {}
  }

  /**
   * Timing knobs.
   *
   * @param commandTimeout how long one command may wait for its reply
   * @param minBackoff first reconnect delay
   * @param maxBackoff longest reconnect delay
   * @param minVersion oldest management version accepted
   * @param maxLineBytes longest incoming line kept; longer ones are discarded and counted
   */
  public record Options(
      Duration commandTimeout,
      Duration minBackoff,
      Duration maxBackoff,
      int minVersion,
      int maxLineBytes) {
    /** Production defaults: 5 s commands, 250 ms .. 10 s backoff. */
    public static Options defaults() {
      return new Options(
          Duration.ofSeconds(5),
          Duration.ofMillis(250),
          Duration.ofSeconds(10),
          MIN_MANAGEMENT_VERSION,
          MgmtParser.MAX_LINE_CHARS);
    }
  }

  private final String name;
  private final ManagementTransport transport;
  private final Secret password;
  private final Listener listener;
  private final Options options;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService session;
  private final AtomicLong epoch = new AtomicLong();
  private final LongAdder reconnects;
  private final LongAdder malformed;
  private final LongAdder overlong;
  private final LongAdder connectFailures;
  private final Object stateLock = new Object();
  private final ThreadLocal<Batch> openBatch = new ThreadLocal<>();
  private volatile Connection current;
  private volatile boolean closed;
  private volatile boolean everConnected;
  private Duration backoff;
  private ScheduledFuture<?> pendingReconnect;

  /**
   * Creates a client; nothing connects until {@link #start()}.
   *
   * @param name the instance name for logs and thread names
   * @param password the management password, or null if none is configured
   * @param scheduler delays reconnect attempts (the attempt itself runs on the client's own thread)
   */
  public ManagementClient(
      String name,
      ManagementTransport transport,
      Secret password,
      Listener listener,
      Options options,
      ScheduledExecutorService scheduler,
      Metrics metrics) {
    this.name = name;
    this.transport = transport;
    this.password = password;
    this.listener = listener;
    this.options = options;
    this.scheduler = scheduler;
    this.backoff = options.minBackoff();
    this.reconnects = metrics.counter("mgmt.reconnects");
    this.malformed = metrics.counter("mgmt.malformed_lines");
    this.overlong = metrics.counter("mgmt.overlong_lines");
    this.connectFailures = metrics.counter("mgmt.connect_failures");
    this.session =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "mgmt-session-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts connecting in the background. */
  public void start() {
    session.execute(this::connectAttempt);
  }

  /** The current connection epoch (bumped on every connect and every OpenVPN restart). */
  public long epoch() {
    return epoch.get();
  }

  /** True while a connection has finished its handshake (through {@code status 3}) and is up. */
  public boolean isConnected() {
    Connection c = current;
    return c != null && c.up && !c.dead;
  }

  /**
   * Sends a one-line command and waits for its reply.
   *
   * @throws ManagementCommandException on {@code ERROR:}
   * @throws ManagementException if not connected, on timeout (the connection is then dropped) or
   *     connection loss
   */
  public CommandResult command(String command, CommandResult.Kind kind) throws ManagementException {
    return command(List.of(command), kind);
  }

  /**
   * Sends the lines of one command (e.g. {@code client-auth} with body and END) in one write and
   * waits for the single reply; the label in errors and logs is the first line.
   */
  public CommandResult command(List<String> lines, CommandResult.Kind kind)
      throws ManagementException {
    Connection c = current;
    if (c == null || c.dead || !c.ready.isDone()) {
      throw new ManagementException("not connected to " + transport.describe());
    }
    try {
      return c.send(lines, kind);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ManagementException("interrupted while waiting for '" + lines.get(0) + "'", e);
    }
  }

  /**
   * Sends one command without waiting (replies are matched in order); the future fails with {@link
   * ManagementCommandException} on {@code ERROR:} and {@link ManagementException} when not
   * connected, on timeout (the connection is then dropped) or on connection loss.
   */
  public CompletableFuture<CommandResult> commandAsync(
      List<String> lines, CommandResult.Kind kind) {
    Connection c = current;
    if (c == null || c.dead || !c.ready.isDone()) {
      return CompletableFuture.failedFuture(
          new ManagementException("not connected to " + transport.describe()));
    }
    return c.sendAsync(lines, kind, null, true);
  }

  /**
   * Runs {@code body}; the commands it sends with {@link #commandAsync} on this thread are written
   * together, in order, when it returns (one write instead of one per command, so a burst of
   * answers costs OpenVPN one read). Blocking {@link #command} calls are never held back. A nested
   * call joins the outer batch.
   */
  public void batch(Runnable body) {
    if (openBatch.get() != null) {
      body.run();
      return;
    }
    Batch b = new Batch();
    openBatch.set(b);
    try {
      body.run();
    } finally {
      openBatch.remove();
      b.flush();
    }
  }

  /** Commands held back by {@link #batch} on one thread, for one connection at a time. */
  private static final class Batch {
    Connection conn;
    final List<Outgoing> entries = new java.util.ArrayList<>();

    void add(Connection c, Outgoing o) {
      if (conn != c) {
        flush();
        conn = c;
      }
      entries.add(o);
    }

    void flush() {
      if (conn != null && !entries.isEmpty()) {
        conn.writeAll(List.copyOf(entries));
      }
      entries.clear();
      conn = null;
    }
  }

  /** One command ready for the wire: its reply slot, bytes and the caller's future. */
  private record Outgoing(
      Pending pending, byte[] bytes, CompletableFuture<CommandResult> out, String label) {}

  @Override
  public void close() {
    closed = true;
    synchronized (stateLock) {
      if (pendingReconnect != null) {
        pendingReconnect.cancel(false);
      }
    }
    Connection c = current;
    if (c != null) {
      c.kill("client closed");
    }
    session.shutdownNow();
  }

  private void connectAttempt() {
    if (closed) {
      return;
    }
    SocketChannel ch;
    try {
      ch = transport.connect(options.commandTimeout());
    } catch (IOException | RuntimeException e) {
      connectFailures.increment();
      log.info(
          "event=mgmt_connect_failed instance={} endpoint={} error=\"{}\" retry_ms={}",
          name,
          transport.describe(),
          e.getMessage(),
          backoff.toMillis());
      scheduleReconnect();
      return;
    }
    long ep = epoch.incrementAndGet();
    Connection c;
    try {
      c = new Connection(ch, ep);
    } catch (IOException e) {
      closeQuietly(ch);
      scheduleReconnect();
      return;
    }
    current = c;
    c.reader.start();
    try {
      handshake(c);
    } catch (ManagementException | RuntimeException e) {
      log.warn(
          "event=mgmt_handshake_failed instance={} epoch={} error=\"{}\"",
          name,
          ep,
          e.getMessage());
      c.kill("handshake failed");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.kill("interrupted");
    }
  }

  private void handshake(Connection c) throws ManagementException, InterruptedException {
    try {
      c.ready.get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ManagementException(
          "no >INFO banner within " + options.commandTimeout().toMillis() + " ms (slot busy?)");
    } catch (ExecutionException e) {
      throw new ManagementException("connection failed before banner", e.getCause());
    }
    CommandResult version = c.send(List.of("version"), CommandResult.Kind.MULTI_LINE);
    int mv = managementVersion(version.lines());
    if (mv < options.minVersion()) {
      throw new ManagementException(
          "management version " + mv + " (expected at least " + options.minVersion() + ")");
    }
    c.send(List.of("state on"), CommandResult.Kind.SINGLE_LINE);
    boolean release;
    synchronized (c) {
      c.handshakeDone = true;
      release = c.holdSeen;
      c.holdSeen = false;
    }
    if (release) {
      c.send(List.of("hold release"), CommandResult.Kind.SINGLE_LINE);
    }
    long ep = c.epochAtConnect;
    CommandResult status =
        c.send(
            List.of("status 3"),
            CommandResult.Kind.MULTI_LINE,
            r -> {
              // counted here, on the reader thread before any later line, so a client answered
              // right after the resync never appears to precede its reconnect
              if (everConnected) {
                reconnects.increment();
              }
              everConnected = true;
              StatusSnapshot snapshot = StatusParser.parse(r.lines());
              try {
                listener.onConnected(epoch.get(), snapshot);
              } catch (RuntimeException e) {
                log.error("event=mgmt_listener_failed instance={} phase=connected", name, e);
              }
            });
    StatusSnapshot snapshot = StatusParser.parse(status.lines());
    synchronized (stateLock) {
      backoff = options.minBackoff();
    }
    c.up = true;
    log.info(
        "event=mgmt_connected instance={} endpoint={} epoch={} mgmt_version={} clients={}"
            + " routes={} skipped_rows={}",
        name,
        transport.describe(),
        ep,
        mv,
        snapshot.clients().size(),
        snapshot.routes().size(),
        snapshot.skippedRows());
  }

  static int managementVersion(List<String> lines) {
    for (String l : lines) {
      if (l.startsWith("Management Version:")) {
        String v = l.substring("Management Version:".length()).trim();
        try {
          return Integer.parseInt(v);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private void connectionLost(Connection c, String why) {
    if (current == c) {
      current = null;
    }
    log.warn(
        "event=mgmt_disconnected instance={} epoch={} reason=\"{}\"", name, c.epochAtConnect, why);
    try {
      listener.onDisconnected(c.epochAtConnect);
    } catch (RuntimeException e) {
      log.error("event=mgmt_listener_failed instance={} phase=disconnected", name, e);
    }
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closed) {
      return;
    }
    synchronized (stateLock) {
      Duration delay = backoff;
      Duration next = backoff.multipliedBy(2);
      backoff = next.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : next;
      try {
        pendingReconnect =
            scheduler.schedule(
                () -> {
                  try {
                    session.execute(this::connectAttempt);
                  } catch (RuntimeException e) {
                    if (!closed) {
                      log.error("event=mgmt_reconnect_submit_failed instance={}", name, e);
                    }
                  }
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        log.error("event=mgmt_reconnect_schedule_failed instance={}", name, e);
      }
    }
  }

  private void releaseHold(Connection c) {
    try {
      session.execute(
          () -> {
            try {
              c.send(List.of("hold release"), CommandResult.Kind.SINGLE_LINE);
              log.info("event=mgmt_hold_released instance={} epoch={}", name, epoch.get());
            } catch (ManagementException e) {
              log.warn(
                  "event=mgmt_hold_release_failed instance={} error=\"{}\"", name, e.getMessage());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    } catch (RuntimeException e) {
      log.warn("event=mgmt_hold_release_not_submitted instance={}", name);
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  /** One command waiting for its reply. */
  private static final class Pending {
    final String label;
    final CommandResult.Collector collector;
    final CompletableFuture<CommandResult> result = new CompletableFuture<>();
    final java.util.function.Consumer<CommandResult> onReader;
    final long deadlineNanos;

    Pending(
        String label,
        CommandResult.Kind kind,
        java.util.function.Consumer<CommandResult> onReader,
        long deadlineNanos) {
      this.label = label;
      this.deadlineNanos = deadlineNanos;
      this.collector = new CommandResult.Collector(kind, MAX_REPLY_LINES);
      this.onReader = onReader;
    }
  }

  /** One connected socket, its reader thread and its reply slot. */
  private final class Connection {
    final SocketChannel ch;
    final long epochAtConnect;
    final LineReader in;
    final Thread reader;
    final MgmtParser parser = new MgmtParser();
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final Object writeLock = new Object();
    final java.util.ArrayDeque<Pending> fifo = new java.util.ArrayDeque<>();
    volatile boolean dead;
    volatile boolean handshakeDone;
    volatile boolean up;
    boolean holdSeen;
    boolean awaitingPasswordReply;

    /** The one timer watching the reply FIFO's oldest deadline (guarded by {@code fifo}). */
    ScheduledFuture<?> watchdog;

    Connection(SocketChannel ch, long epoch) throws IOException {
      this.ch = ch;
      this.epochAtConnect = epoch;
      this.in =
          new LineReader(
              Channels.newInputStream(ch),
              options.maxLineBytes(),
              () -> {
                overlong.increment();
                malformed.increment();
                log.warn(
                    "event=mgmt_line_overlong instance={} max_bytes={}",
                    name,
                    options.maxLineBytes());
              });
      this.reader = new Thread(this::readLoop, "mgmt-reader-" + name + "-" + epoch);
      this.reader.setDaemon(true);
    }

    void kill(String why) {
      if (!dead) {
        dead = true;
        log.debug("event=mgmt_connection_kill instance={} reason=\"{}\"", name, why);
      }
      closeQuietly(ch);
    }

    CommandResult send(List<String> lines, CommandResult.Kind kind)
        throws ManagementException, InterruptedException {
      return send(lines, kind, null);
    }

    /**
     * Sends and waits; {@code onReader}, if given, runs on the reader thread with a successful
     * result before any later line is read, so events after the reply are handled after it.
     */
    CommandResult send(
        List<String> lines,
        CommandResult.Kind kind,
        java.util.function.Consumer<CommandResult> onReader)
        throws ManagementException, InterruptedException {
      CompletableFuture<CommandResult> f = sendAsync(lines, kind, onReader);
      try {
        // the future fails by itself at the command timeout; the margin only guards that
        return f.get(options.commandTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ManagementException me) {
          if (me instanceof ManagementCommandException mce) {
            throw new ManagementCommandException(mce.command(), mce.response());
          }
          throw new ManagementException(me.getMessage(), me);
        }
        throw new ManagementException("'" + lines.get(0) + "' failed: " + cause, cause);
      } catch (TimeoutException e) {
        kill("command timeout");
        throw new ManagementException("'" + lines.get(0) + "' timed out; connection dropped");
      }
    }

    /**
     * Writes one command and returns its reply future. Writes are serialized by {@code writeLock}
     * and each is queued in the reply FIFO in wire order, so replies match in order (openvpn.md
     * §2.7 rule 1). The future fails with {@link ManagementCommandException} on {@code ERROR:}, and
     * with {@link ManagementException} on timeout (the connection is then dropped) or loss.
     */
    CompletableFuture<CommandResult> sendAsync(
        List<String> lines,
        CommandResult.Kind kind,
        java.util.function.Consumer<CommandResult> onReader) {
      return sendAsync(lines, kind, onReader, false);
    }

    /** As above; with {@code batchable}, held back while this thread is inside {@link #batch}. */
    CompletableFuture<CommandResult> sendAsync(
        List<String> lines,
        CommandResult.Kind kind,
        java.util.function.Consumer<CommandResult> onReader,
        boolean batchable) {
      String label = lines.get(0);
      CompletableFuture<CommandResult> out = new CompletableFuture<>();
      try {
        MgmtCommands.checkReplyable(lines);
        MgmtCommands.checkLines(lines);
      } catch (MgmtProtocolException e) {
        out.completeExceptionally(new ManagementException("refused to send: " + e.getMessage(), e));
        return out;
      }
      Pending p =
          new Pending(
              label, kind, onReader, System.nanoTime() + options.commandTimeout().toNanos());
      byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
      Outgoing o = new Outgoing(p, bytes, out, label);
      Batch b = batchable ? openBatch.get() : null;
      if (b != null) {
        arm(o);
        b.add(this, o);
        return out;
      }
      if (writeAll(List.of(o))) {
        arm(o);
      }
      return out;
    }

    /**
     * Queues the replies in wire order and writes all commands in one write; on failure completes
     * every caller's future (and reply slot) exceptionally and returns false.
     */
    boolean writeAll(List<Outgoing> all) {
      synchronized (writeLock) {
        if (dead) {
          for (Outgoing o : all) {
            fail(o, new ManagementException("connection lost before '" + o.label() + "'"));
          }
          return false;
        }
        synchronized (fifo) {
          for (Outgoing o : all) {
            fifo.addLast(o.pending());
          }
          if (watchdog == null) {
            watch(fifo.peekFirst().deadlineNanos);
          }
        }
        try {
          ByteBuffer b;
          if (all.size() == 1) {
            b = ByteBuffer.wrap(all.get(0).bytes());
          } else {
            int n = 0;
            for (Outgoing o : all) {
              n += o.bytes().length;
            }
            b = ByteBuffer.allocate(n);
            for (Outgoing o : all) {
              b.put(o.bytes());
            }
            b.flip();
          }
          while (b.hasRemaining()) {
            ch.write(b);
          }
        } catch (IOException e) {
          kill("write failed");
          for (Outgoing o : all) {
            fail(o, new ManagementException("'" + o.label() + "' could not be written", e));
          }
          return false;
        }
      }
      return true;
    }

    private void fail(Outgoing o, ManagementException e) {
      o.out().completeExceptionally(e);
      o.pending().result.completeExceptionally(e);
    }

    /**
     * Schedules the watchdog for {@code deadlineNanos}; called with {@code fifo} held. One timer
     * per connection instead of one per command: replies come in FIFO order and every command has
     * the same timeout, so the oldest outstanding command is the next one that can time out.
     */
    private void watch(long deadlineNanos) {
      try {
        watchdog =
            scheduler.schedule(
                this::checkDeadlines,
                Math.max(0, deadlineNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS);
      } catch (RuntimeException e) {
        // scheduler gone (shutting down): time out each outstanding command on its own
        watchdog = null;
        for (Pending p : fifo) {
          p.result.orTimeout(
              Math.max(0, p.deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
      }
    }

    /**
     * Fails every outstanding command whose deadline has passed with a {@link TimeoutException} (as
     * {@code orTimeout} would), then re-arms for the oldest one still waiting.
     */
    private void checkDeadlines() {
      List<Pending> expired = new java.util.ArrayList<>();
      synchronized (fifo) {
        watchdog = null;
        long now = System.nanoTime();
        Long next = null;
        for (Pending p : fifo) {
          if (p.result.isDone()) {
            continue;
          }
          if (p.deadlineNanos - now <= 0) {
            expired.add(p);
          } else {
            next = p.deadlineNanos;
            break;
          }
        }
        if (next != null && !dead) {
          watch(next);
        }
      }
      for (Pending p : expired) {
        p.result.completeExceptionally(new TimeoutException());
      }
    }

    /**
     * Completes the caller's future from the reply, or fails it (and the connection) on timeout.
     */
    private void arm(Outgoing o) {
      String label = o.label();
      CompletableFuture<CommandResult> out = o.out();
      long timeoutMs = options.commandTimeout().toMillis();
      o.pending()
          .result
          .whenComplete(
              (r, e) -> {
                if (out.isDone()) {
                  return;
                }
                if (e == null) {
                  if (r.success()) {
                    out.complete(r);
                  } else {
                    out.completeExceptionally(new ManagementCommandException(label, r.message()));
                  }
                } else if (e instanceof TimeoutException) {
                  log.warn(
                      "event=mgmt_command_timeout instance={} command=\"{}\" timeout_ms={}",
                      name,
                      label,
                      timeoutMs);
                  kill("command timeout");
                  out.completeExceptionally(
                      new ManagementException("'" + label + "' timed out; connection dropped"));
                } else {
                  out.completeExceptionally(
                      new ManagementException("'" + label + "' failed: " + e.getMessage(), e));
                }
              });
    }

    void write(String text) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      synchronized (writeLock) {
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
    }

    private void readLoop() {
      String why = "end of stream";
      try {
        String line;
        while (!dead && (line = in.next()) != null) {
          try {
            dispatch(line);
          } catch (RuntimeException e) {
            malformed.increment();
            log.error("event=mgmt_dispatch_failed instance={} line_kind={}", name, kind(line), e);
          }
        }
      } catch (IOException e) {
        why = dead ? "closed" : "read failed: " + e.getMessage();
      } finally {
        dead = true;
        closeQuietly(ch);
        ready.completeExceptionally(new IOException(why));
        List<Pending> left;
        synchronized (fifo) {
          left = new java.util.ArrayList<>(fifo);
          fifo.clear();
          if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
          }
        }
        for (Pending p : left) {
          p.result.completeExceptionally(new IOException("connection lost: " + why));
        }
        if (!closed) {
          connectionLost(this, why);
        }
      }
    }

    private void dispatch(String line) throws IOException {
      if (line == MgmtParser.PASSWORD_PROMPT || line.equals(MgmtParser.PASSWORD_PROMPT)) {
        if (password == null) {
          log.error(
              "event=mgmt_password_required instance={} endpoint={}", name, transport.describe());
          kill("password required");
          return;
        }
        awaitingPasswordReply = true;
        write(password.reveal() + "\n");
        return;
      }
      if (MgmtParser.isNotification(line)) {
        Optional<MgmtEvent> ev;
        try {
          ev = parser.accept(line);
        } catch (MgmtProtocolException e) {
          malformed.increment();
          log.warn("event=mgmt_line_malformed instance={} error=\"{}\"", name, e.getMessage());
          return;
        }
        if (ev.isPresent()) {
          onEvent(ev.get());
        }
        return;
      }
      if (awaitingPasswordReply) {
        awaitingPasswordReply = false;
        if (line.startsWith("SUCCESS:")) {
          return;
        }
        if (line.startsWith("ERROR:")) {
          log.error(
              "event=mgmt_password_rejected instance={} endpoint={}", name, transport.describe());
          kill("password rejected");
          return;
        }
      }
      Pending p;
      synchronized (fifo) {
        p = fifo.peekFirst();
      }
      if (p == null) {
        if (!line.isEmpty()) {
          malformed.increment();
          log.warn("event=mgmt_line_unexpected instance={} line_kind={}", name, kind(line));
        }
        return;
      }
      CommandResult r;
      try {
        r = p.collector.accept(line);
      } catch (MgmtProtocolException e) {
        malformed.increment();
        log.warn(
            "event=mgmt_reply_malformed instance={} command=\"{}\" error=\"{}\"",
            name,
            p.label,
            e.getMessage());
        return;
      }
      if (r != null) {
        synchronized (fifo) {
          fifo.pollFirst();
        }
        if (r.success() && p.onReader != null) {
          try {
            p.onReader.accept(r);
          } catch (RuntimeException e) {
            log.error("event=mgmt_reply_hook_failed instance={} command=\"{}\"", name, p.label, e);
          }
        }
        p.result.complete(r);
      }
    }

    private void onEvent(MgmtEvent ev) {
      if (ev instanceof MgmtEvent.Info) {
        ready.complete(null);
      } else if (ev instanceof MgmtEvent.Hold) {
        boolean now;
        synchronized (this) {
          now = handshakeDone;
          if (!now) {
            holdSeen = true;
          }
        }
        if (now) {
          releaseHold(this);
        }
      } else if (ev instanceof MgmtEvent.State s && s.isReconnecting()) {
        long ep = epoch.incrementAndGet();
        log.info(
            "event=mgmt_openvpn_restart instance={} epoch={} cause={}", name, ep, s.description());
        listener.onEpochChanged(ep);
      } else if (ev instanceof MgmtEvent.Fatal f) {
        log.error("event=mgmt_openvpn_fatal instance={} text=\"{}\"", name, f.text());
      }
      listener.onEvent(epoch.get(), ev);
    }

    private String kind(String line) {
      if (line.isEmpty()) {
        return "empty";
      }
      int c = line.indexOf(':');
      String head = c > 0 ? line.substring(0, Math.min(c, 24)) : "raw";
      return head.replaceAll("[^A-Za-z0-9>_-]", "?");
    }
  }
}
