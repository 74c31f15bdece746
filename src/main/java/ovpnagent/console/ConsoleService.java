package ovpnagent.console;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.boot.Service;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.PeerPolicy;
import ovpnagent.control.SecureSocket;
import ovpnagent.logging.Events;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.ManagementClient;

/**
 * One instance's management console: a unix socket (mode 0660, the control group, peers checked
 * with {@code SO_PEERCRED} by {@link PeerPolicy}) where each admin connection gets one reader
 * thread speaking the management protocol ({@link ConsoleSession}). Commands of all admins of this
 * console run one at a time. At most {@link #MAX_SESSIONS} admins are connected at once; more get
 * one {@code ERROR:} line and are closed. A session without input for {@code
 * control.consoleIdleTimeout} is told so and closed, so forgotten terminals do not hold the slots.
 */
public final class ConsoleService implements Service {
  /** Admin connections served at once per console. */
  public static final int MAX_SESSIONS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleService.class);
  private final String instance;
  private final Path socket;
  private final String group;
  private final Relay relay;
  private final LocalCommands local;
  private final Metrics metrics;
  private final Duration idleTimeout;
  private final ReentrantLock serial = new ReentrantLock(true);
  private final Set<ConsoleSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();
  private ServerSocketChannel server;
  private Thread acceptor;
  private ScheduledExecutorService idleCheck;
  private PeerPolicy policy;
  private volatile boolean closing;

  /**
   * Creates the console of one instance; nothing listens before {@link #start()}.
   *
   * @param instance the instance name (greeting, logs)
   * @param socket the console socket path ({@code InstanceConfig.console()})
   * @param group the group allowed besides root ({@code control.group}), or null
   * @param idleTimeout sessions without input this long are closed ({@code
   *     control.consoleIdleTimeout}); zero never closes them
   * @param client the instance's management client, or null while it is not running
   * @param registry the control registry answering the agent's own commands
   */
  public ConsoleService(
      String instance,
      Path socket,
      String group,
      Duration idleTimeout,
      Supplier<ManagementClient> client,
      CommandRegistry registry,
      Metrics metrics) {
    this(instance, socket, group, idleTimeout, Relay.of(client), registry, metrics);
  }

  ConsoleService(
      String instance,
      Path socket,
      String group,
      Duration idleTimeout,
      Relay relay,
      CommandRegistry registry,
      Metrics metrics) {
    this.instance = instance;
    this.idleTimeout = idleTimeout;
    this.socket = socket;
    this.group = group;
    this.relay = relay;
    this.local = new LocalCommands(registry, instance);
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "console:" + instance;
  }

  /** The socket path. */
  public Path socket() {
    return socket;
  }

  /**
   * Creates the socket like the control socket: bound under a temporary name, mode 0660 and the
   * group set, then renamed into place; a stale socket nobody answers on is replaced.
   *
   * @throws IOException if another process listens on the path, it is not a socket, or the group
   *     does not exist
   */
  @Override
  public synchronized void start() throws IOException {
    SecureSocket.Bound bound = SecureSocket.bind(socket, group, "console-" + instance, 16);
    ServerSocketChannel ch = bound.channel();
    policy = bound.policy();
    server = ch;
    closing = false;
    acceptor = new Thread(() -> acceptLoop(ch), "console-accept-" + instance);
    acceptor.setDaemon(true);
    acceptor.start();
    if (!idleTimeout.isZero()) {
      idleCheck =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "console-idle-" + instance);
                t.setDaemon(true);
                return t;
              });
      long every = Math.max(20, Math.min(30_000, idleTimeout.toMillis() / 4));
      idleCheck.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
    }
    LOG.info(
        "event=console_listening instance={} socket={} mode=0660 allowed={}",
        Events.value(instance),
        Events.value(socket),
        Events.value(policy));
  }

  private void acceptLoop(ServerSocketChannel ch) {
    SecureSocket.acceptLoop(ch, () -> closing, "console", this::open);
  }

  private void open(SocketChannel c) {
    ConsoleSession s =
        new ConsoleSession(
            instance + "#" + ids.incrementAndGet(),
            instance,
            c,
            policy,
            relay,
            local,
            serial,
            metrics,
            sessions::remove);
    if (sessions.size() >= MAX_SESSIONS) {
      metrics.inc("console.busy");
      s.rejectBusy();
      return;
    }
    sessions.add(s);
    Thread t = new Thread(s, "console-" + instance + "-" + ids.get());
    t.setDaemon(true);
    t.start();
  }

  /** Closes the sessions that have had no input for the idle timeout (not while answering). */
  private void closeIdle() {
    try {
      long now = System.nanoTime();
      for (ConsoleSession s : sessions) {
        if (s.idleNanos(now) >= idleTimeout.toNanos()) {
          metrics.inc("console.idle_closed");
          s.closeIdle(idleTimeout);
        }
      }
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again: log and keep checking
      LOG.warn(
          "event=console_idle_check_failed instance={} error={}",
          Events.value(instance),
          Events.value(e.toString()));
    }
  }

  /** Admin connections currently open. */
  public int sessions() {
    return sessions.size();
  }

  /** Stops accepting, closes every admin connection and removes the socket file. */
  @Override
  public synchronized void close() {
    closing = true;
    if (server != null) {
      SecureSocket.release(server, socket);
      server = null;
    }
    if (idleCheck != null) {
      idleCheck.shutdownNow();
      idleCheck = null;
    }
    for (ConsoleSession s : sessions) {
      s.close();
    }
    if (acceptor != null) {
      try {
        acceptor.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      acceptor = null;
    }
  }
}
