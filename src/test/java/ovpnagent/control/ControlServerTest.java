package ovpnagent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovpnagent.config.ControlConfig;
import ovpnagent.metrics.Metrics;

class ControlServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final List<AutoCloseable> closeMe = new ArrayList<>();
  private final Metrics metrics = new Metrics();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeMe) {
      c.close();
    }
  }

  private CommandRegistry registry() {
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    AtomicReference<Instant> now = new AtomicReference<>(t0);
    CommandRegistry r = new CommandRegistry(metrics, "1.2.3", now::get);
    now.set(t0.plusSeconds(3723));
    r.register("echo", "returns its arguments", args -> ControlResponse.ok("echoed", args));
    r.register(
        "boom",
        "always fails",
        args -> {
          throw new IllegalStateException("pool exhausted on br0");
        });
    r.register("nothing", "finds nothing", args -> ControlResponse.empty("no lease for that MAC"));
    return r;
  }

  private ControlServer start(CommandRegistry r, ControlServer.Limits limits) throws Exception {
    ControlServer s =
        new ControlServer(new ControlConfig(dir.resolve("control.sock"), null), r, limits);
    closeMe.add(s);
    s.start();
    return s;
  }

  private ControlServer start() throws Exception {
    return start(registry(), ControlServer.Limits.DEFAULT);
  }

  private static ObjectNode call(ControlServer s, String cmd, JsonNode args) throws IOException {
    return new ControlClient(s.socket(), Duration.ofSeconds(5)).call(cmd, args);
  }

  private static JsonNode raw(ControlServer s, String text) throws IOException {
    byte[] b =
        new ControlClient(s.socket(), Duration.ofSeconds(5))
            .callRaw(text.getBytes(StandardCharsets.UTF_8));
    String line = new String(b, StandardCharsets.UTF_8);
    assertTrue(line.endsWith("\n"), "one response line: " + line);
    assertEquals(1, line.split("\n").length, "exactly one line: " + line);
    return JSON.readTree(line);
  }

  @Test
  void answersOneRequestPerConnection() throws Exception {
    ControlServer s = start();
    ObjectNode args = JsonNodeFactory.instance.objectNode().put("mac", "52:50:0e:2b:80:24");
    ObjectNode r = call(s, "echo", args);
    assertEquals(0, r.get("result").asInt());
    assertEquals("echoed", r.get("text").asText());
    assertEquals(args, r.get("arguments"));
    // missing arguments arrive as an empty object
    assertEquals(JsonNodeFactory.instance.objectNode(), call(s, "echo", null).get("arguments"));
  }

  @Test
  void builtInCommands() throws Exception {
    ControlServer s = start();
    JsonNode list = call(s, "list-commands", null).get("arguments");
    List<String> names = new ArrayList<>();
    list.forEach(n -> names.add(n.asText()));
    assertTrue(
        names.containsAll(
            List.of(
                "list-commands",
                "version-get",
                "status-get",
                "statistic-get-all",
                "statistic-get",
                "echo",
                "boom")),
        names.toString());
    JsonNode help = call(s, "list-commands", JSON.readTree("{\"help\":true}")).get("arguments");
    assertEquals("returns its arguments", find(help, "echo").get("help").asText());

    assertEquals("1.2.3", call(s, "version-get", null).get("arguments").get("version").asText());

    JsonNode st = call(s, "status-get", null).get("arguments");
    assertEquals(ProcessHandle.current().pid(), st.get("pid").asLong());
    assertEquals(3723, st.get("uptime").asLong());
    assertEquals("1.2.3", st.get("version").asText());

    metrics.counter("dhcp4.drop.malformed").add(7);
    metrics.counter("dhcp4.received.discover").add(3);
    metrics.gauge("dhcp4.pool.used{subnet=198.18.0.0/24}", () -> 12);
    metrics.histogram("mgmt.auth.latency_ms").recordMillis(3);
    JsonNode stats = call(s, "statistic-get-all", null).get("arguments");
    assertEquals(7, stats.get("dhcp4.drop.malformed").asLong());
    assertEquals(3, stats.get("dhcp4.received.discover").asLong());
    assertEquals(12, stats.get("dhcp4.pool.used{subnet=198.18.0.0/24}").asLong());
    assertEquals(1, stats.get("mgmt.auth.latency_ms").get("count").asLong());
    JsonNode one =
        call(s, "statistic-get", JSON.readTree("{\"name\":\"dhcp4.received.discover\"}"));
    assertEquals(3, one.get("arguments").get("dhcp4.received.discover").asLong());
    assertEquals(1, one.get("arguments").size());
    assertEquals(
        3, call(s, "statistic-get", JSON.readTree("{\"name\":\"nope\"}")).get("result").asInt());
    // the built-in drops section of status-get
    JsonNode drops = call(s, "status-get", null).get("arguments").get("drops");
    assertEquals(7, drops.get("dhcp4.drop.malformed").asLong());
    assertFalse(drops.has("dhcp4.received.discover"));
  }

  private static JsonNode find(JsonNode arr, String command) {
    for (JsonNode n : arr) {
      if (n.get("command").asText().equals(command)) {
        return n;
      }
    }
    throw new AssertionError(command + " not in " + arr);
  }

  @Test
  void statusSectionsAndAFailingSection() throws Exception {
    CommandRegistry r = registry();
    r.addStatusSection(
        "instances",
        () -> JSON.createArrayNode().add(JSON.createObjectNode().put("name", "server")));
    r.addStatusSection(
        "dhcp",
        () -> {
          throw new IllegalStateException("store closed");
        });
    ControlServer s = start(r, ControlServer.Limits.DEFAULT);
    JsonNode st = call(s, "status-get", null);
    assertEquals(0, st.get("result").asInt());
    assertEquals("server", st.get("arguments").get("instances").get(0).get("name").asText());
    assertEquals("store closed", st.get("arguments").get("dhcp").get("error").asText());
  }

  @Test
  void errorsBecomeResultCodesAndNeverStopTheServer() throws Exception {
    ControlServer s = start();
    JsonNode boom = call(s, "boom", null);
    assertEquals(1, boom.get("result").asInt());
    assertEquals("pool exhausted on br0", boom.get("text").asText());

    JsonNode unknown = call(s, "lease4-get-all", null);
    assertEquals(2, unknown.get("result").asInt());
    assertTrue(unknown.get("text").asText().contains("lease4-get-all"));

    assertEquals(3, call(s, "nothing", null).get("result").asInt());

    JsonNode bad = raw(s, "{\"command\": \"echo\", \n");
    assertEquals(1, bad.get("result").asInt());
    assertTrue(bad.get("text").asText().startsWith("invalid JSON"), bad.toString());

    assertEquals(1, raw(s, "[1,2]\n").get("result").asInt());
    assertEquals(1, raw(s, "{\"arguments\": {}}\n").get("result").asInt());
    assertEquals(1, raw(s, "{\"command\": \"echo\", \"arguments\": [1]}\n").get("result").asInt());
    assertEquals(1, raw(s, "{\"command\": \"echo\"} trailing\n").get("result").asInt());
    assertEquals(1, raw(s, "\n").get("result").asInt());

    // and the server still answers
    assertEquals(0, call(s, "echo", null).get("result").asInt());
    assertEquals(1, metrics.get("control.errors"));
  }

  @Test
  void requestOverTheSizeCapIsRefused() throws Exception {
    ControlServer s = start();
    String big = "{\"command\":\"echo\",\"arguments\":{\"x\":\"" + "a".repeat(70_000) + "\"}}\n";
    JsonNode r = raw(s, big);
    assertEquals(1, r.get("result").asInt());
    assertTrue(r.get("text").asText().contains("too large"), r.toString());
    // just under the cap is fine
    String ok = "{\"command\":\"echo\",\"arguments\":{\"x\":\"" + "a".repeat(60_000) + "\"}}\n";
    assertEquals(0, raw(s, ok).get("result").asInt());
  }

  @Test
  void requestWithoutNewlineIsAcceptedWhenComplete() throws Exception {
    ControlServer s = start();
    // Kea-style client: no newline, no half-close, waits for the answer
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(s.socket()))) {
      ch.write(ByteBuffer.wrap("{\"command\": \"version-get\"}".getBytes(StandardCharsets.UTF_8)));
      JsonNode r = JSON.readTree(readAll(ch, 5000));
      assertEquals("1.2.3", r.get("arguments").get("version").asText());
    }
  }

  @Test
  void slowClientIsCutAtTheReadDeadline() throws Exception {
    ControlServer s =
        start(registry(), new ControlServer.Limits(65536, Duration.ofMillis(300), 2, 4));
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(s.socket()))) {
      ch.write(ByteBuffer.wrap("{\"command\": ".getBytes(StandardCharsets.UTF_8)));
      long t0 = System.nanoTime();
      String got = readAll(ch, 5000);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals("", got, "closed without an answer");
      assertTrue(ms >= 200 && ms < 3000, "closed after " + ms + " ms");
    }
    assertEquals(0, call(s, "echo", null).get("result").asInt());
    assertEquals(1, metrics.get("control.timeouts"));
  }

  @Test
  void busyWhenAllWorkersAndTheQueueAreTaken() throws Exception {
    CommandRegistry r = registry();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    r.register(
        "block",
        "blocks",
        a -> {
          entered.countDown();
          release.await(10, TimeUnit.SECONDS);
          return ControlResponse.ok(null);
        });
    ControlServer s = start(r, new ControlServer.Limits(65536, Duration.ofSeconds(5), 1, 1));
    SocketChannel c1 = SocketChannel.open(UnixDomainSocketAddress.of(s.socket()));
    c1.write(ByteBuffer.wrap("{\"command\":\"block\"}\n".getBytes(StandardCharsets.UTF_8)));
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    SocketChannel c2 = SocketChannel.open(UnixDomainSocketAddress.of(s.socket())); // queued
    try {
      JsonNode busy = call(s, "echo", null);
      assertEquals(1, busy.get("result").asInt());
      assertTrue(busy.get("text").asText().startsWith("busy"), busy.toString());
    } finally {
      release.countDown();
      c1.close();
      c2.close();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonNode r2;
    do {
      r2 = call(s, "echo", null);
    } while (r2.get("result").asInt() != 0 && System.nanoTime() < deadline);
    assertEquals(0, r2.get("result").asInt());
  }

  @Test
  void socketIsMode0660AndRemovedOnClose() throws Exception {
    ControlServer s = start();
    PosixFileAttributes a = Files.readAttributes(s.socket(), PosixFileAttributes.class);
    assertTrue(a.isOther(), "a socket");
    assertEquals("rw-rw----", PosixFilePermissions.toString(a.permissions()));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(s.socket()), files.toList(), "no temporary file left");
    }
    s.close();
    assertFalse(Files.exists(s.socket()));
    assertThrows(ControlClient.NotRunningException.class, () -> call(s, "echo", null));
  }

  @Test
  void createsTheParentDirectory() throws Exception {
    Path sock = dir.resolve("run/ovpn-agent/control.sock");
    ControlServer s = new ControlServer(new ControlConfig(sock, null), registry());
    closeMe.add(s);
    s.start();
    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent())));
    assertEquals(0, call(s, "echo", null).get("result").asInt());
  }

  @Test
  void replacesAStaleSocketButNotALiveOneOrAFile() throws Exception {
    Path sock = dir.resolve("control.sock");
    try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      old.bind(UnixDomainSocketAddress.of(sock));
      // a second server while this one listens: refused
      ControlServer clash = new ControlServer(new ControlConfig(sock, null), registry());
      IOException e = assertThrows(IOException.class, clash::start);
      assertTrue(e.getMessage().contains("another process"), e.getMessage());
      clash.close();
      assertTrue(Files.exists(sock), "the live socket is left alone");
    }
    assertTrue(Files.exists(sock), "stale socket file left by a dead listener");
    ControlServer s = start();
    assertEquals(0, call(s, "echo", null).get("result").asInt());
    s.close();

    Files.writeString(sock, "not a socket");
    ControlServer onFile = new ControlServer(new ControlConfig(sock, null), registry());
    IOException e = assertThrows(IOException.class, onFile::start);
    assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
    assertEquals("not a socket", Files.readString(sock));
  }

  @Test
  void unknownGroupFailsStart() throws Exception {
    ControlServer s =
        new ControlServer(
            new ControlConfig(dir.resolve("c.sock"), "no-such-group-control-test"), registry());
    assertThrows(IOException.class, s::start);
    s.close();
    assertFalse(Files.exists(dir.resolve("c.sock")));
  }

  @Test
  void registryRejectsBadAndDuplicateNames() {
    CommandRegistry r = new CommandRegistry(new Metrics(), "x", InstantSource.system());
    assertThrows(IllegalArgumentException.class, () -> r.register("Lease4_Get", "", a -> null));
    assertThrows(IllegalArgumentException.class, () -> r.register("lease4-", "", a -> null));
    r.register("lease4-get-all", "", a -> null);
    assertThrows(IllegalStateException.class, () -> r.register("lease4-get-all", "", a -> null));
    assertEquals(0, r.dispatch("lease4-get-all", null).result(), "null response is success");
    r.unregister("lease4-get-all");
    assertEquals(2, r.dispatch("lease4-get-all", null).result());
  }

  static String readAll(SocketChannel ch, long timeoutMs) throws Exception {
    ch.configureBlocking(false);
    StringBuilder b = new StringBuilder();
    ByteBuffer bb = ByteBuffer.allocate(8192);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      bb.clear();
      int n = ch.read(bb);
      if (n < 0) {
        return b.toString();
      }
      if (n == 0) {
        TimeUnit.MILLISECONDS.sleep(10);
        continue;
      }
      b.append(new String(bb.array(), 0, n, StandardCharsets.UTF_8));
    }
    throw new AssertionError("no EOF within " + timeoutMs + " ms, got: " + b);
  }
}
