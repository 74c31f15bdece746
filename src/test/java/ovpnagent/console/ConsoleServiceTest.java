package ovpnagent.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlResponse;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.ManagementClient;
import ovpnagent.openvpn.mgmt.ManagementTransport;
import ovpnagent.openvpn.mgmt.protocol.MgmtEvent;

/**
 * The console against a real {@link ManagementClient} talking to a scripted OpenVPN management
 * interface on a unix socket: framing of relayed replies, notifications kept out of replies,
 * refusals never reaching OpenVPN, agent commands, line cap, several admins, quit.
 */
class ConsoleServiceTest {
  private static final Duration STEP = Duration.ofSeconds(5);
  @TempDir Path dir;
  private FakeOpenVpn openvpn;
  private ManagementClient client;
  private ConsoleService console;
  private ScheduledExecutorService scheduler;
  private Metrics metrics;
  private CommandRegistry registry;
  private final List<SocketChannel> admins = new ArrayList<>();

  /** A minimal OpenVPN 2.6 management interface: canned replies by command. */
  static final class FakeOpenVpn implements AutoCloseable {
    final List<String> received = new CopyOnWriteArrayList<>();
    final ServerSocketChannel server;
    final Thread thread;

    FakeOpenVpn(Path sock) throws IOException {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(sock));
      thread = new Thread(this::serve, "fake-openvpn");
      thread.setDaemon(true);
      thread.start();
    }

    private void serve() {
      try (SocketChannel c = server.accept()) {
        send(c, ">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info\r\n");
        StringBuilder line = new StringBuilder();
        ByteBuffer bb = ByteBuffer.allocate(4096);
        while (c.read(bb.clear()) > 0) {
          bb.flip();
          while (bb.hasRemaining()) {
            char ch = (char) bb.get();
            if (ch == '\n') {
              String l = line.toString();
              line.setLength(0);
              received.add(l);
              send(c, reply(l));
            } else {
              line.append(ch);
            }
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    private static String reply(String l) {
      switch (l) {
        case "version":
          return "OpenVPN Version: OpenVPN 2.6.14 x86_64-pc-linux-gnu [SSL (OpenSSL)]\r\n"
              + "Management Version: 5\r\nEND\r\n";
        case "state on":
          return "SUCCESS: real-time state notification set to ON\r\n";
        case "status 3":
          return "TITLE\tOpenVPN 2.6.14 x86_64-pc-linux-gnu\r\n"
              + "TIME\t2026-11-22 15:54:22\t1795362862\r\n"
              + "HEADER\tCLIENT_LIST\tCommon Name\tReal Address\tVirtual Address\tVirtual IPv6"
              + " Address\tBytes Received\tBytes Sent\tConnected Since\tConnected Since (time_t)"
              + "\tUsername\tClient ID\tPeer ID\tData Channel Cipher\r\n"
              + "CLIENT_LIST\trouter-a\t198.18.0.2:39405\t\t\t3625\t3282\t2026-11-22 15:54:06"
              + "\t1795362846\tUNDEF\t0\t0\tAES-256-GCM\r\n"
              + ">STATE:1795362870,CONNECTED,SUCCESS,,,,198.18.0.1,1194\r\n"
              + "HEADER\tROUTING_TABLE\tVirtual Address\tCommon Name\tReal Address\tLast Ref"
              + "\tLast Ref (time_t)\r\n"
              + "GLOBAL_STATS\tMax bcast/mcast queue length\t2\r\n"
              + "END\r\n";
        case "state":
          return "1795362870,CONNECTED,SUCCESS,,,,198.18.0.1,1194\r\nEND\r\n";
        case "log 2":
          return "1795362870,,Initialization Sequence Completed\r\n"
              + ">LOG:1795362871,I,not for the admin\r\n"
              + "1795362871,,router-a/198.18.0.2:39405 MULTI: primary virtual IP\r\nEND\r\n";
        case "kill router-a":
          return ">CLIENT:DISCONNECT,0\r\n>CLIENT:ENV,common_name=router-a\r\n>CLIENT:ENV,END\r\n"
              + "SUCCESS: common name 'router-a' found, 1 client(s) killed\r\n";
        case "kill nobody":
          return "ERROR: common name 'nobody' not found\r\n";
        case "help":
          return "Management Interface for OpenVPN 2.6.14\r\nCommands:\r\n"
              + "status [n]             : Show current daemon status info using format #n.\r\n"
              + "END\r\n";
        case "load-stats":
          return "SUCCESS: nclients=1,bytesin=3625,bytesout=3282\r\n";
        default:
          return "ERROR: unknown command, enter 'help' for more options\r\n";
      }
    }

    private static void send(SocketChannel c, String s) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        c.write(b);
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    Path mgmt = dir.resolve("mgmt.sock");
    openvpn = new FakeOpenVpn(mgmt);
    scheduler = Executors.newSingleThreadScheduledExecutor();
    metrics = new Metrics();
    client =
        new ManagementClient(
            "site",
            ManagementTransport.unix(mgmt),
            null,
            (long epoch, MgmtEvent ev) -> {},
            new ManagementClient.Options(
                STEP, Duration.ofMillis(100), Duration.ofSeconds(1), 1, 4096),
            scheduler,
            metrics);
    client.start();
    long deadline = System.nanoTime() + STEP.toNanos();
    while (!client.isConnected()) {
      assertTrue(System.nanoTime() < deadline, "management client did not connect");
      Thread.sleep(20);
    }
    registry = new CommandRegistry(metrics, "test", Instant::now);
    registry.register(
        "lease4-get-all",
        "test",
        args -> {
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          o.putArray("leases")
              .addObject()
              .put("ip", "198.19.0.100")
              .put("mac", "52:50:0e:2b:80:24")
              .put("state", "bound")
              .put("router", "router-a");
          return ControlResponse.ok("1 leases", o);
        });
    registry.register(
        "clients-get",
        "test",
        args -> {
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          var a = o.putArray("clients");
          a.addObject().put("instance", "site").put("common_name", "router-a").put("cid", 0);
          a.addObject().put("instance", "other").put("common_name", "laptop").put("cid", 4);
          return ControlResponse.ok("2 clients", o);
        });
    metrics.inc("dhcp4.received.discover");
    console =
        new ConsoleService(
            "site",
            dir.resolve("run/site.console"),
            null,
            Duration.ZERO,
            () -> client,
            registry,
            metrics);
    console.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (SocketChannel a : admins) {
      a.close();
    }
    console.close();
    client.close();
    openvpn.close();
    scheduler.shutdownNow();
  }

  /** An admin connection with a reader thread; lines arrive without CRLF. */
  private final class Admin {
    final SocketChannel ch;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    volatile boolean eof;

    Admin() throws IOException {
      ch = SocketChannel.open(UnixDomainSocketAddress.of(console.socket()));
      admins.add(ch);
      Thread t =
          new Thread(
              () -> {
                StringBuilder sb = new StringBuilder();
                ByteBuffer bb = ByteBuffer.allocate(4096);
                try {
                  int n;
                  while ((n = ch.read(bb.clear())) > 0) {
                    for (int i = 0; i < n; i++) {
                      char c = (char) bb.get(i);
                      if (c == '\n') {
                        String l = sb.toString();
                        assertTrue(l.endsWith("\r"), "line without CRLF: " + l);
                        lines.add(l.substring(0, l.length() - 1));
                        sb.setLength(0);
                      } else {
                        sb.append(c);
                      }
                    }
                  }
                } catch (IOException e) {
                  // closed
                }
                eof = true;
              });
      t.setDaemon(true);
      t.start();
    }

    void send(String s) throws IOException {
      ByteBuffer b = ByteBuffer.wrap((s + "\n").getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }

    String line() throws InterruptedException {
      String l = lines.poll(STEP.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(l, "no line from the console within " + STEP);
      return l;
    }

    List<String> block() throws InterruptedException {
      List<String> out = new ArrayList<>();
      while (true) {
        String l = line();
        out.add(l);
        if (l.equals("END") || l.startsWith("ERROR:")) {
          return out;
        }
      }
    }

    List<String> greeting() throws InterruptedException {
      String a = line();
      String b = line();
      return List.of(a, b);
    }
  }

  @Test
  void anIdleSessionIsToldAndClosedWhileAnActiveOneStays() throws Exception {
    console.close();
    console =
        new ConsoleService(
            "site",
            dir.resolve("run/idle.console"),
            null,
            Duration.ofSeconds(1),
            () -> client,
            registry,
            metrics);
    console.start();
    Admin idle = new Admin();
    Admin active = new Admin();
    idle.greeting();
    active.greeting();
    long until = System.nanoTime() + 2_500_000_000L;
    while (System.nanoTime() < until) {
      active.send("state");
      assertEquals("END", active.block().get(1));
      Thread.sleep(100);
    }
    assertEquals(">INFO:ovpn-agent: closing this console session, no input for 1s", idle.line());
    long deadline = System.nanoTime() + STEP.toNanos();
    while (!idle.eof && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(idle.eof, "the idle session was not closed");
    assertFalse(active.eof, "a session with input was closed");
    assertEquals(1, console.sessions());
    assertEquals(1, metrics.get("console.idle_closed"));
    active.send("state");
    assertEquals("END", active.block().get(1));
  }

  @Test
  void greetsAndRelaysWithOpenVpnFraming() throws Exception {
    Admin a = new Admin();
    List<String> g = a.greeting();
    assertEquals(">INFO:ovpn-agent console for instance site -- type 'help'", g.get(0));
    assertTrue(g.get(1).startsWith(">INFO:"));

    a.send("status 3");
    List<String> st = a.block();
    assertEquals("END", st.get(st.size() - 1));
    assertTrue(st.get(0).startsWith("TITLE\tOpenVPN 2.6.14"));
    assertTrue(st.stream().anyMatch(l -> l.startsWith("CLIENT_LIST\trouter-a\t")));
    assertFalse(st.stream().anyMatch(l -> l.startsWith(">")), "notification leaked: " + st);

    a.send("state");
    assertEquals(List.of("1795362870,CONNECTED,SUCCESS,,,,198.18.0.1,1194", "END"), a.block());

    a.send("log 2");
    List<String> log = a.block();
    assertEquals(3, log.size(), log.toString());
    assertFalse(log.stream().anyMatch(l -> l.contains("not for the admin")));

    a.send("version");
    List<String> v = a.block();
    assertEquals("Management Version: 5", v.get(1));

    a.send("kill router-a");
    assertEquals("SUCCESS: common name 'router-a' found, 1 client(s) killed", a.line());
    a.send("kill nobody");
    assertEquals("ERROR: common name 'nobody' not found", a.line());
    a.send("load-stats");
    assertEquals("SUCCESS: nclients=1,bytesin=3625,bytesout=3282", a.line());

    a.send("help");
    List<String> h = a.block();
    assertTrue(h.get(0).startsWith("Management Interface for OpenVPN"));
    assertTrue(h.stream().anyMatch(l -> l.startsWith("dhcp leases")), h.toString());
    assertEquals("END", h.get(h.size() - 1));
    assertNull(a.lines.poll(200, TimeUnit.MILLISECONDS), "nothing extra after replies");
  }

  @Test
  void refusesWithoutContactingOpenVpn() throws Exception {
    Admin a = new Admin();
    a.greeting();
    int before = openvpn.received.size();
    for (String c :
        List.of(
            "client-auth 0 1",
            "\"client-deny\" 0 1 x",
            "hold release",
            "version 3",
            "state off",
            "log on",
            "bytecount 1",
            "password Auth x")) {
      a.send(c);
      String r = a.line();
      assertTrue(r.startsWith("ERROR: command refused by ovpn-agent: "), c + " -> " + r);
    }
    a.send("frobnicate");
    assertEquals("ERROR: unknown command, enter 'help' for more options", a.line());
    a.send("# a comment");
    a.send("");
    a.send("x".repeat(2000));
    assertEquals("ERROR: line too long (max 1023 bytes)", a.line());
    a.send("state");
    assertEquals("END", a.block().get(1));
    assertEquals(List.of("state"), openvpn.received.subList(before, openvpn.received.size()));
    assertTrue(client.isConnected(), "the agent's session must survive");
  }

  @Test
  void answersAgentCommandsLocally() throws Exception {
    Admin a = new Admin();
    a.greeting();
    int before = openvpn.received.size();
    a.send("dhcp leases");
    List<String> l = a.block();
    assertEquals("HEADER\tLEASE\tip\tmac\tstate\trouter", l.get(0));
    assertEquals("LEASE\t198.19.0.100\t52:50:0e:2b:80:24\tbound\trouter-a", l.get(1));
    assertEquals("END", l.get(2));
    a.send("dhcp stats");
    List<String> s = a.block();
    assertTrue(s.contains("STAT\tdhcp4.received.discover\t1"), s.toString());
    a.send("routers");
    List<String> r = a.block();
    assertEquals(3, r.size(), r.toString()); // header, router-a of this instance, END
    assertTrue(r.get(1).contains("router-a"));
    assertEquals(before, openvpn.received.size());
  }

  @Test
  void quitClosesOnlyTheAdminAndAdminsAreServedTogether() throws Exception {
    Admin a = new Admin();
    Admin b = new Admin();
    a.greeting();
    b.greeting();
    for (int i = 0; i < 20; i++) {
      a.send("state");
      b.send("load-stats");
    }
    for (int i = 0; i < 20; i++) {
      assertEquals("END", a.block().get(1));
      assertTrue(b.line().startsWith("SUCCESS: nclients=1"));
    }
    a.send("quit");
    long deadline = System.nanoTime() + STEP.toNanos();
    while (!a.eof) {
      assertTrue(System.nanoTime() < deadline, "quit did not close the connection");
      Thread.sleep(20);
    }
    assertFalse(openvpn.received.contains("quit"));
    b.send("state");
    assertEquals("END", b.block().get(1));
    assertTrue(client.isConnected());
  }

  @Test
  void socketIsGroupReadableOnly() throws Exception {
    assertEquals(
        "rw-rw----",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(console.socket())));
  }
}
