package ovpnagent.openvpn.mgmt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A scripted stand-in for OpenVPN's management interface over TCP loopback or a unix socket. It
 * replays transcripts from {@code src/test/resources/openvpn/mgmt/}: {@code S: text} is sent with
 * {@code \r \n \t \\} escapes expanded (nothing else is added, so the password prompt can go
 * without a line ending), {@code C: line} expects exactly that line from the client, {@code C~
 * regex} a matching one, {@code ACCEPT} waits for the next connection, {@code DROP} closes it,
 * {@code EXPECT_CLOSE} waits for the client to close, {@code CALL name} runs a registered test
 * action, {@code SREPEAT n c} sends {@code n} copies of {@code c}, {@code INCLUDE file} inlines
 * another transcript, {@code #} starts a comment. Every wait has a deadline.
 */
public final class FakeManagementServer implements AutoCloseable {
  /** The socket family to serve on. */
  public enum Kind {
    TCP,
    UNIX
  }

  private static final String EOF = new String("<EOF>");
  private final Kind kind;
  private final ServerSocketChannel server;
  private final Path unixPath;
  private final BlockingQueue<SocketChannel> accepted = new LinkedBlockingQueue<>();
  private final Map<String, Runnable> actions = new ConcurrentHashMap<>();
  private final List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean recordReceived = true;
  private final Thread acceptor;
  private final Duration stepTimeout;
  private volatile boolean closed;
  private Conn current;

  /** Starts listening; {@code dir} holds the unix socket. */
  public FakeManagementServer(Kind kind, Path dir, Duration stepTimeout) throws IOException {
    this.kind = kind;
    this.stepTimeout = stepTimeout;
    if (kind == Kind.TCP) {
      server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      unixPath = null;
    } else {
      unixPath = dir.resolve("mgmt.sock");
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(unixPath));
    }
    acceptor =
        new Thread(
            () -> {
              while (!closed) {
                try {
                  SocketChannel ch = server.accept();
                  if (kind == Kind.TCP) {
                    ch.socket().setTcpNoDelay(true);
                  }
                  accepted.add(ch);
                } catch (IOException e) {
                  return;
                }
              }
            },
            "fake-mgmt-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A transport that connects to this server. */
  public ManagementTransport transport() {
    if (kind == Kind.TCP) {
      return ManagementTransport.tcp("127.0.0.1", ((InetSocketAddress) localAddress()).getPort());
    }
    return ManagementTransport.unix(unixPath);
  }

  private java.net.SocketAddress localAddress() {
    try {
      return server.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Registers an action run (on its own thread) by {@code CALL name}. */
  public void onCall(String name, Runnable action) {
    actions.put(name, action);
  }

  /**
   * Stops keeping every received line for {@link #received()} (a benchmark sending millions of
   * lines must not measure the fake's own memory).
   */
  public void stopRecording() {
    recordReceived = false;
  }

  /** Every line received from clients, in order. */
  public List<String> received() {
    synchronized (received) {
      return new ArrayList<>(received);
    }
  }

  /** Waits for the next client connection. */
  public Conn accept(Duration timeout) throws InterruptedException {
    SocketChannel ch = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (ch == null) {
      throw new AssertionError("no client connected within " + timeout.toMillis() + " ms");
    }
    current = new Conn(ch);
    return current;
  }

  /** The connection the transcript is on (after {@code ACCEPT}). */
  public Conn current() {
    return current;
  }

  /** Plays a transcript resource (name relative to {@code /openvpn/mgmt/}). */
  public void play(String resource) throws Exception {
    List<String> script = load(resource, 0);
    for (int i = 0; i < script.size(); i++) {
      String step = script.get(i);
      try {
        step(step);
      } catch (AssertionError e) {
        throw new AssertionError(
            resource + " step " + (i + 1) + " '" + step + "': " + e.getMessage(), e);
      }
    }
  }

  private void step(String step) throws Exception {
    if (step.startsWith("S: ") || step.equals("S:")) {
      current.send(unescape(step.length() > 3 ? step.substring(3) : ""));
    } else if (step.startsWith("C: ")) {
      String want = step.substring(3);
      String got = current.readLine(stepTimeout);
      if (!want.equals(got)) {
        throw new AssertionError("expected client line '" + want + "' but got '" + got + "'");
      }
    } else if (step.startsWith("C~ ")) {
      String want = step.substring(3);
      String got = current.readLine(stepTimeout);
      if (got == EOF || !Pattern.matches(want, got)) {
        throw new AssertionError(
            "expected client line matching '" + want + "' but got '" + got + "'");
      }
    } else if (step.equals("ACCEPT")) {
      accept(stepTimeout);
    } else if (step.equals("DROP")) {
      current.close();
    } else if (step.equals("EXPECT_CLOSE")) {
      String got = current.readLine(stepTimeout);
      if (got != EOF) {
        throw new AssertionError("expected the client to close, got '" + got + "'");
      }
    } else if (step.startsWith("CALL ")) {
      Runnable r = actions.get(step.substring(5).trim());
      if (r == null) {
        throw new AssertionError("no action registered for " + step);
      }
      Thread t = new Thread(r, "fake-mgmt-call");
      t.setDaemon(true);
      t.start();
    } else if (step.startsWith("SREPEAT ")) {
      String[] f = step.split(" ");
      current.send(String.valueOf(f[2].charAt(0)).repeat(Integer.parseInt(f[1])));
    } else {
      throw new AssertionError("unknown transcript step");
    }
  }

  private List<String> load(String resource, int depth) throws IOException {
    if (depth > 4) {
      throw new AssertionError("INCLUDE nested too deep at " + resource);
    }
    try (InputStream in = getClass().getResourceAsStream("/openvpn/mgmt/" + resource)) {
      if (in == null) {
        throw new AssertionError("missing transcript " + resource);
      }
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("INCLUDE ")) {
          out.addAll(load(line.substring(8).trim(), depth + 1));
        } else {
          out.add(line);
        }
      }
      return out;
    }
  }

  /** Expands {@code \r}, {@code \n}, {@code \t} and {@code \\}. */
  static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'r' -> sb.append('\r');
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case '\\' -> sb.append('\\');
          default -> sb.append('\\').append(n);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    if (current != null) {
      current.close();
    }
    SocketChannel ch;
    while ((ch = accepted.poll()) != null) {
      ch.close();
    }
    server.close();
  }

  /** One accepted client connection. */
  public final class Conn {
    private final SocketChannel ch;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Conn(SocketChannel ch) {
      this.ch = ch;
      Thread reader =
          new Thread(
              () -> {
                // chunked reads and a scan for LF: the fake's own per-byte cost must not compete
                // with the client under test for the CPU
                try (InputStream in = Channels.newInputStream(ch)) {
                  byte[] chunk = new byte[16384];
                  ByteArrayOutputStream cur = new ByteArrayOutputStream();
                  int n;
                  while ((n = in.read(chunk)) >= 0) {
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                      if (chunk[i] == '\n') {
                        String l;
                        if (cur.size() == 0) {
                          l = new String(chunk, start, i - start, StandardCharsets.UTF_8);
                        } else {
                          cur.write(chunk, start, i - start);
                          l = cur.toString(StandardCharsets.UTF_8);
                          cur.reset();
                        }
                        if (l.endsWith("\r")) {
                          l = l.substring(0, l.length() - 1);
                        }
                        if (recordReceived) {
                          received.add(l);
                        }
                        lines.add(l);
                        start = i + 1;
                      }
                    }
                    cur.write(chunk, start, n - start);
                  }
                } catch (IOException e) {
                  // closed
                }
                lines.add(EOF);
              },
              "fake-mgmt-conn");
      reader.setDaemon(true);
      reader.start();
    }

    /** Sends raw text. */
    public void send(String text) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      synchronized (this) {
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
    }

    /** The next client line, the EOF marker when closed; fails after the timeout. */
    public String readLine(Duration timeout) throws InterruptedException {
      String l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (l == null) {
        throw new AssertionError("no client line within " + timeout.toMillis() + " ms");
      }
      return l;
    }

    /** The next client line if one is already there, else null (never waits). */
    public String pollLine() {
      return lines.poll();
    }

    /** True if {@code line} is the end-of-stream marker. */
    public boolean isEof(String line) {
      return line == EOF;
    }

    /** Closes the connection. */
    public void close() {
      try {
        ch.close();
      } catch (IOException e) {
        // ignore
      }
    }
  }
}
