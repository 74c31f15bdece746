package ovpnagent.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.control.PeerPolicy;
import ovpnagent.logging.Events;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.ManagementCommandException;
import ovpnagent.openvpn.mgmt.ManagementException;
import ovpnagent.openvpn.mgmt.protocol.CommandResult;
import ovpnagent.util.Durations;

/**
 * One admin connection: checks the peer, greets with {@code >INFO:} lines, then reads lines (each
 * at most {@link ConsolePolicy#MAX_LINE_BYTES}; a longer one is discarded and answered with {@code
 * ERROR:}), and answers each as {@link ConsolePolicy} decides, with CRLF line endings like OpenVPN.
 * The command itself runs under the console's lock, so admins are served one at a time.
 */
final class ConsoleSession implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleSession.class);
  private final String id;
  private final String instance;
  private final SocketChannel ch;
  private final PeerPolicy policy;
  private final Relay relay;
  private final LocalCommands local;
  private final ReentrantLock serial;
  private final Metrics metrics;
  private final Consumer<ConsoleSession> onEnd;
  private volatile long lastInputNanos = System.nanoTime();
  private volatile boolean answering;
  private volatile Duration idleAfter;

  ConsoleSession(
      String id,
      String instance,
      SocketChannel ch,
      PeerPolicy policy,
      Relay relay,
      LocalCommands local,
      ReentrantLock serial,
      Metrics metrics,
      Consumer<ConsoleSession> onEnd) {
    this.id = id;
    this.instance = instance;
    this.ch = ch;
    this.policy = policy;
    this.relay = relay;
    this.local = local;
    this.serial = serial;
    this.metrics = metrics;
    this.onEnd = onEnd;
  }

  /** Answers a connection over the session limit and closes it. */
  void rejectBusy() {
    try {
      write(List.of("ERROR: too many console sessions (max " + ConsoleService.MAX_SESSIONS + ")"));
    } catch (IOException e) {
      // the admin went away
    }
    close();
  }

  @Override
  public void run() {
    try {
      UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (!policy.allows(peer)) {
        metrics.inc("console.refused");
        LOG.warn(
            "event=console_peer_refused instance={} user={} group={}",
            Events.value(instance),
            Events.value(peer.user().getName()),
            Events.value(peer.group().getName()));
        write(
            List.of(
                "ERROR: permission denied: user "
                    + peer.user().getName()
                    + " is not allowed (needs "
                    + policy
                    + ")"));
        return;
      }
      LOG.info(
          "event=console_session_open instance={} session={} user={}",
          Events.value(instance),
          Events.value(id),
          Events.value(peer.user().getName()));
      write(
          List.of(
              ">INFO:ovpn-agent console for instance " + instance + " -- type 'help'",
              ">INFO:OpenVPN commands are relayed through the agent's management session;"
                  + " 'dhcp leases', 'dhcp stats', 'routers' are answered by the agent"));
      loop();
    } catch (IOException e) {
      LOG.debug("event=console_session_io reason={}", Events.value(e.toString()));
    } catch (RuntimeException e) {
      LOG.warn(
          "event=console_session_failed instance={} reason={}",
          Events.value(instance),
          Events.value(e.toString()));
    } finally {
      close();
      LOG.info(
          "event=console_session_closed instance={} session={}",
          Events.value(instance),
          Events.value(id));
    }
  }

  private void loop() throws IOException {
    ByteBuffer in = ByteBuffer.allocate(4096);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean overlong = false;
    while (true) {
      in.clear();
      int n = ch.read(in);
      if (n < 0) {
        sayIdle();
        return;
      }
      lastInputNanos = System.nanoTime();
      byte[] a = in.array();
      for (int i = 0; i < n; i++) {
        byte b = a[i];
        if (b != '\n') {
          if (!overlong) {
            if (line.size() >= ConsolePolicy.MAX_LINE_BYTES) {
              overlong = true;
              line.reset();
            } else {
              line.write(b);
            }
          }
          continue;
        }
        if (overlong) {
          overlong = false;
          metrics.inc("console.overlong_lines");
          write(List.of("ERROR: line too long (max " + ConsolePolicy.MAX_LINE_BYTES + " bytes)"));
          continue;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
          text = text.substring(0, text.length() - 1);
        }
        boolean more;
        answering = true;
        try {
          more = answer(printable(text));
        } finally {
          lastInputNanos = System.nanoTime();
          answering = false;
        }
        if (!more) {
          return;
        }
      }
    }
  }

  /** Answers one line; false when the admin asked to quit. */
  private boolean answer(String line) throws IOException {
    Verdict v = ConsolePolicy.classify(line);
    String word = firstWord(line);
    switch (v.action()) {
      case IGNORE:
        return true;
      case QUIT:
        LOG.info(
            "event=console_quit instance={} session={}", Events.value(instance), Events.value(id));
        return false;
      case REFUSE:
        metrics.inc("console.refused_commands");
        LOG.info(
            "event=console_command_refused instance={} session={} command={}",
            Events.value(instance),
            Events.value(id),
            Events.value(word));
        write(List.of("ERROR: " + v.text()));
        return true;
      default:
        break;
    }
    List<String> reply;
    long t0 = System.nanoTime();
    serial.lock();
    try {
      if (v.action() == Verdict.Action.LOCAL && !v.text().equals("help")) {
        reply = local.run(v.text());
      } else if (v.action() == Verdict.Action.LOCAL) {
        reply = relayed("help", CommandResult.Kind.MULTI_LINE);
        if (!reply.isEmpty() && reply.get(reply.size() - 1).equals("END")) {
          reply = new ArrayList<>(reply.subList(0, reply.size() - 1));
          reply.addAll(LocalCommands.HELP);
          reply.add("END");
        }
      } else {
        reply = relayed(line, v.reply());
      }
    } finally {
      serial.unlock();
    }
    metrics.inc("console.commands");
    LOG.info(
        "event=console_command instance={} session={} command={} action={} ms={}",
        Events.value(instance),
        Events.value(id),
        Events.value(word),
        v.action().name().toLowerCase(java.util.Locale.ROOT),
        (System.nanoTime() - t0) / 1_000_000);
    write(reply);
    return true;
  }

  private List<String> relayed(String line, CommandResult.Kind kind) {
    try {
      CommandResult r = relay.run(line, kind);
      if (kind == CommandResult.Kind.SINGLE_LINE) {
        return List.of((r.success() ? "SUCCESS: " : "ERROR: ") + r.message());
      }
      List<String> out = new ArrayList<>(r.lines());
      out.add("END");
      return out;
    } catch (ManagementCommandException e) {
      return List.of("ERROR: " + e.response());
    } catch (ManagementException e) {
      metrics.inc("console.relay_failures");
      return List.of("ERROR: ovpn-agent could not relay the command: " + e.getMessage());
    }
  }

  private static String firstWord(String line) {
    List<String> t = ConsoleTokens.split(line);
    String w = t.isEmpty() ? "" : t.get(0);
    return w.length() > 32 ? w.substring(0, 32) : w;
  }

  /** Drops bytes OpenVPN would drop (non-printable), so the relayed line is what it will read. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != 0x7f || c == '\t') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Nanoseconds since the last input or the end of the last answer; 0 while answering. */
  long idleNanos(long now) {
    return answering ? 0 : now - lastInputNanos;
  }

  /**
   * Ends the session for being idle: shuts its input, so the session's own thread wakes from its
   * read, tells the admin and closes (this thread never blocks on a slow admin).
   */
  void closeIdle(Duration after) {
    idleAfter = after;
    LOG.info(
        "event=console_session_idle instance={} session={} idle={}",
        Events.value(instance),
        Events.value(id),
        Durations.format(after));
    try {
      ch.shutdownInput();
    } catch (IOException e) {
      close();
    }
  }

  /** On the session's thread, after an idle close woke its read: the notice, best effort. */
  private void sayIdle() {
    Duration after = idleAfter;
    if (after == null) {
      return;
    }
    try {
      write(
          List.of(
              ">INFO:ovpn-agent: closing this console session, no input for "
                  + Durations.format(after)));
    } catch (IOException e) {
      // the admin went away already
    }
  }

  private void write(List<String> lines) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append("\r\n");
    }
    ByteBuffer bb = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
    while (bb.hasRemaining()) {
      ch.write(bb);
    }
  }

  void close() {
    onEnd.accept(this);
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
