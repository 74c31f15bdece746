package ovpnagent.openvpn.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ovpnagent.config.AuthPolicy;
import ovpnagent.config.InstanceConfig;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.protocol.CommandResult;
import ovpnagent.openvpn.mgmt.protocol.StatusSnapshot;
import ovpnagent.routed.InMemoryRoutedAddressStore;
import ovpnagent.util.Cidr;
import ovpnagent.util.Ipv4;

/**
 * The management client, authorizer and routed allocator against {@link FakeManagementServer}
 * transcripts; every test runs over TCP loopback and over a unix socket.
 */
class ManagementClientTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final String PUSH = "push \"route 198.19.200.0 255.255.255.0\"";

  @TempDir Path tmp;
  private final Metrics metrics = new Metrics();
  private final InMemoryRoutedAddressStore store = new InMemoryRoutedAddressStore();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private FakeManagementServer server;
  private InstanceManagementService service;

  @AfterEach
  void tearDown() throws Exception {
    if (service != null) {
      service.close();
    }
    if (server != null) {
      server.close();
    }
    scheduler.shutdownNow();
  }

  private String pool = "198.19.128.0/24";

  private InstanceConfig instance(List<String> push) {
    return new InstanceConfig(
        tmp.resolve("server.conf"),
        "server",
        Cidr.parse(pool),
        push,
        new AuthPolicy(List.of(), List.of("evil*"), "not authorized"),
        null,
        Duration.ofMinutes(10));
  }

  private Duration commandTimeout = Duration.ofSeconds(3);

  private Clock clock = Clock.systemUTC();

  private InstanceManagementService service(
      FakeManagementServer.Kind kind,
      boolean bridged,
      List<String> push,
      Path pwFile,
      int minVersion)
      throws Exception {
    server = new FakeManagementServer(kind, tmp, DEADLINE);
    ManagementEndpoint ep =
        kind == FakeManagementServer.Kind.UNIX
            ? ManagementEndpoint.unix(tmp.resolve("mgmt.sock"), pwFile)
            : ManagementEndpoint.tcp("127.0.0.1", 1194, pwFile);
    ManagementClient.Options opts =
        new ManagementClient.Options(
            commandTimeout, Duration.ofMillis(10), Duration.ofMillis(200), minVersion, 8192);
    service =
        new InstanceManagementService(
            instance(push),
            ep,
            server.transport(),
            "subnet",
            bridged,
            store,
            metrics,
            clock,
            scheduler,
            opts);
    return service;
  }

  /** Plays the transcript while the service runs; fails if it does not finish in time. */
  private void play(String transcript) throws Exception {
    CompletableFuture<Void> done =
        CompletableFuture.runAsync(
            () -> {
              try {
                server.play(transcript);
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    service.start();
    done.get(DEADLINE.toSeconds() * 3, TimeUnit.SECONDS);
  }

  /** The routed record of {@code cn}, or null (records are written behind, ~20 ms later). */
  private ovpnagent.store.RoutedAddressStore.RoutedAddress stored(String cn) {
    return store.get("server", cn);
  }

  /** Waits for the routed record of {@code cn} to be written behind and returns it. */
  private ovpnagent.store.RoutedAddressStore.RoutedAddress awaitStored(String cn)
      throws InterruptedException {
    await("record of " + cn + " written behind", () -> stored(cn) != null);
    return stored(cn);
  }

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void passwordPromptWithoutNewlineIsAnswered(FakeManagementServer.Kind kind) throws Exception {
    Path pw = tmp.resolve("mgmt.pw");
    Files.writeString(pw, "s3cret\nignored second line\n", StandardCharsets.UTF_8);
    service(kind, false, List.of(), pw, 1);
    play("password.txt");
    await("connected", () -> service.client().isConnected());
    assertEquals(1, service.client().epoch());
    assertEquals("***", Secret.readFirstLine(pw).toString());
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void badPasswordClosesAndRetries(FakeManagementServer.Kind kind) throws Exception {
    Path pw = tmp.resolve("mgmt.pw");
    Files.writeString(pw, "s3cret\n", StandardCharsets.UTF_8);
    service(kind, false, List.of(), pw, 1);
    play("bad_password.txt");
    await("connected", () -> service.client().isConnected());
    assertEquals(2, service.client().epoch());
    assertEquals(0, metrics.get("mgmt.reconnects"), "first successful session is not a reconnect");
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void routedConnectReauthDisconnectReconnectAndDeny(FakeManagementServer.Kind kind)
      throws Exception {
    service(kind, false, List.of(PUSH), null, 1);
    play("routed_connect.txt");
    await("deny counted", () -> metrics.get("mgmt.auth.denied") == 1);
    assertEquals(4, metrics.get("mgmt.auth.allowed"));
    assertEquals(1, metrics.get("mgmt.auth.denied.policy"));
    assertEquals(0, metrics.get("mgmt.malformed_lines"));
    await(
        "router-a's reconnect written behind",
        () -> stored("router-a") != null && stored("router-a").releasedAtMs() == 0);
    assertEquals(Ipv4.parse("198.19.128.2"), stored("router-a").ip());
    assertEquals(Ipv4.parse("198.19.128.3"), awaitStored("router-b").ip());
    assertTrue(service.authLatency().count() >= 5);
    await("router table", () -> service.routers().size() == 2);
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void notificationsInsideStatusReplyAreEventsNotReplyLines(FakeManagementServer.Kind kind)
      throws Exception {
    service(kind, true, List.of(), null, 1);
    List<StatusSnapshot.RouteRow> routes = Collections.synchronizedList(new ArrayList<>());
    List<String> gone = Collections.synchronizedList(new ArrayList<>());
    service.setRouterListener(
        new RouterListener() {
          @Override
          public void onRouterGone(String commonName) {
            gone.add(commonName);
          }

          @Override
          public void onRoutingTable(long epoch, List<StatusSnapshot.RouteRow> rows) {
            routes.addAll(rows);
          }
        });
    play("interleaved.txt");
    await("client-auth acknowledged", () -> metrics.get("mgmt.auth.allowed") == 1);
    assertEquals(0, metrics.get("mgmt.malformed_lines"));
    assertEquals(3, routes.size());
    assertEquals("52:50:0e:2b:80:24", routes.get(0).mac().toString());
    assertEquals("router-a", routes.get(0).commonName());
    // router-c: a CID the agent never saw disconnects (its MACs may be stored from before)
    assertEquals(List.of("router-c", "router-a"), gone);
    await("router-a back", () -> service.routers().size() == 2);
    Set<String> cns = new java.util.HashSet<>();
    service.routers().snapshot().forEach(r -> cns.add(r.commonName()));
    assertEquals(Set.of("router-a", "router-b"), cns);
    RouterTable.Router a =
        service.routers().get(1, 2).orElseThrow(() -> new AssertionError("router-a cid 2"));
    assertEquals("198.18.0.2", a.realAddress());
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void errorRepliesAreTypedAndClientAuthErrorMeansClientGone(FakeManagementServer.Kind kind)
      throws Exception {
    service(kind, false, List.of(), null, 1);
    CompletableFuture<Throwable> killResult = new CompletableFuture<>();
    server.onCall(
        "kill",
        () -> {
          try {
            service.client().command("kill nobody", CommandResult.Kind.SINGLE_LINE);
            killResult.complete(null);
          } catch (Throwable t) {
            killResult.complete(t);
          }
        });
    play("errors.txt");
    Throwable t = killResult.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    ManagementCommandException e = assertInstanceOf(ManagementCommandException.class, t);
    assertEquals("kill nobody", e.command());
    assertEquals("common name 'nobody' not found", e.response());
    await("second client allowed", () -> metrics.get("mgmt.auth.allowed") == 1);
    assertEquals(1, metrics.get("mgmt.auth.client_gone"));
    assertTrue(service.client().isConnected(), "an ERROR reply is not fatal");
    assertEquals(1, service.client().epoch());
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void garbageAndOverlongLinesAreCountedAndIgnored(FakeManagementServer.Kind kind)
      throws Exception {
    service(kind, false, List.of(), null, 1);
    play("garbage.txt");
    await("client allowed", () -> metrics.get("mgmt.auth.allowed") == 1);
    assertEquals(8, metrics.get("mgmt.malformed_lines"));
    assertEquals(1, metrics.get("mgmt.overlong_lines"));
    assertEquals(1, service.client().epoch(), "no reconnect");
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void droppedConnectionMidBlockReconnectsAndRebuildsFromStatus(FakeManagementServer.Kind kind)
      throws Exception {
    service(kind, false, List.of(), null, 1);
    play("drop_midblock.txt");
    await("router-b allowed", () -> metrics.get("mgmt.auth.allowed") == 1);
    assertEquals(1, metrics.get("mgmt.reconnects"));
    assertEquals(2, service.client().epoch());
    await("table rebuilt", () -> service.routers().size() == 2);
    RouterTable.Router a = service.routers().get(2, 0).orElseThrow();
    assertEquals("router-a", a.commonName());
    assertEquals("198.18.0.2", a.realAddress());
    assertEquals(Ipv4.parse("198.19.128.2"), awaitStored("router-a").ip());
    assertFalse(
        server.received().contains("client-auth 0 1"), "the half CONNECT block is never answered");
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void afterACrashTheConnectedClientWinsItsAddressOverAStaleReservation(
      FakeManagementServer.Kind kind) throws Exception {
    store.save(
        new ovpnagent.store.RoutedAddressStore.RoutedAddress(
            "server", "old-holder", Ipv4.parse("198.19.128.2"), 0));
    service(kind, false, List.of(), null, 1);
    play("crash_stale_reservation.txt");
    await("router-b allowed", () -> metrics.get("mgmt.auth.allowed") == 1);
    assertEquals(Ipv4.parse("198.19.128.2"), awaitStored("router-a").ip());
    await("stale reservation removed", () -> stored("old-holder") == null);
    assertEquals(Ipv4.parse("198.19.128.3"), awaitStored("router-b").ip());
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void sighupBumpsEpochReleasesHoldAndCidsRestart(FakeManagementServer.Kind kind) throws Exception {
    service(kind, false, List.of(), null, 1);
    play("sighup.txt");
    await("both allowed", () -> metrics.get("mgmt.auth.allowed") == 3);
    assertEquals(2, service.client().epoch());
    assertEquals(0, metrics.get("mgmt.reconnects"), "the connection survived SIGHUP");
    await("table", () -> service.routers().size() == 2);
    assertEquals("router-b", service.routers().get(2, 0).orElseThrow().commonName());
    assertEquals("router-a", service.routers().get(2, 1).orElseThrow().commonName());
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void tooOldManagementVersionIsRefused(FakeManagementServer.Kind kind) throws Exception {
    service(kind, false, List.of(), null, 3);
    play("old_version.txt");
    assertFalse(service.client().isConnected());
    assertTrue(metrics.get("mgmt.connect_failures") == 0);
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void commandTimeoutDropsTheConnectionAndReconnects(FakeManagementServer.Kind kind)
      throws Exception {
    commandTimeout = Duration.ofMillis(1500);
    service(kind, false, List.of(), null, 1);
    CompletableFuture<Throwable> slow = new CompletableFuture<>();
    server.onCall(
        "slow",
        () -> {
          try {
            service.client().command("kill router-a", CommandResult.Kind.SINGLE_LINE);
            slow.complete(null);
          } catch (Throwable t) {
            slow.complete(t);
          }
        });
    play("timeout.txt");
    Throwable t = slow.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    ManagementException e = assertInstanceOf(ManagementException.class, t);
    assertFalse(e instanceof ManagementCommandException);
    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    await("reconnected", () -> service.client().isConnected() && service.client().epoch() == 2);
    assertEquals(1, metrics.get("mgmt.reconnects"));
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void reconnectsWithBackoffUntilOpenVpnListens(FakeManagementServer.Kind kind) throws Exception {
    service(kind, false, List.of(), null, 1);
    ManagementTransport real = server.transport();
    java.util.concurrent.atomic.AtomicInteger attempts =
        new java.util.concurrent.atomic.AtomicInteger();
    ManagementTransport flaky =
        new ManagementTransport() {
          @Override
          public java.nio.channels.SocketChannel connect(Duration timeout)
              throws java.io.IOException {
            if (attempts.incrementAndGet() <= 3) {
              throw new java.net.ConnectException("Connection refused (test)");
            }
            return real.connect(timeout);
          }

          @Override
          public String describe() {
            return "flaky";
          }
        };
    service =
        new InstanceManagementService(
            instance(List.of(PUSH)),
            ManagementEndpoint.tcp("127.0.0.1", 1194, null),
            flaky,
            "subnet",
            false,
            store,
            metrics,
            Clock.systemUTC(),
            scheduler,
            new ManagementClient.Options(
                commandTimeout, Duration.ofMillis(10), Duration.ofMillis(40), 1, 8192));
    play("routed_connect.txt");
    assertEquals(3, metrics.get("mgmt.connect_failures"));
    assertEquals(4, attempts.get());
    assertEquals(1, service.client().epoch(), "failed attempts do not bump the epoch");
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void clientsWaitingForALostConnectAreAnsweredAfterConnecting(FakeManagementServer.Kind kind)
      throws Exception {
    // bug found end to end: a router whose CONNECT went out while the agent was down waited for
    // OpenVPN's hand-window (60 s by default) before retrying, although status 3 lists it
    clock = Clock.fixed(java.time.Instant.ofEpochSecond(1795362862), java.time.ZoneOffset.UTC);
    service(kind, false, List.of(), null, 1);
    play("resume_pending.txt");
    await("router-d allowed", () -> metrics.get("mgmt.auth.allowed") == 1);
    assertEquals(Ipv4.parse("198.19.128.3"), awaitStored("router-b").ip());
    assertEquals(Ipv4.parse("198.19.128.4"), awaitStored("router-d").ip());
    assertEquals(null, store.get("server", "evil-1"), "a denied name gets no address");
    assertEquals(0, metrics.get("mgmt.auth.denied"), "a pending denied name is not answered");
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void poolExhaustedIsDeniedWithAReasonAndCounted(FakeManagementServer.Kind kind) throws Exception {
    pool = "198.19.128.0/30";
    service(kind, false, List.of(), null, 1);
    play("pool_exhausted.txt");
    await("deny counted", () -> metrics.get("mgmt.auth.denied.pool_exhausted") == 1);
    assertEquals(1, metrics.get("mgmt.auth.allowed"));
    assertEquals(1, metrics.get("mgmt.auth.denied"));
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void pipelinedAnswersAreMatchedToRepliesInOrder(FakeManagementServer.Kind kind) throws Exception {
    service(kind, false, List.of(), null, 1);
    play("pipelined.txt");
    await("both replies", () -> metrics.get("mgmt.auth.client_gone") == 1);
    assertEquals(1, metrics.get("mgmt.auth.allowed"));
    await("router-a recorded", () -> service.routers().size() == 1);
    assertEquals("router-a", service.routers().get(1, 0).orElseThrow().commonName());
  }

  @ParameterizedTest
  @EnumSource(FakeManagementServer.Kind.class)
  void batchedCommandsGoOutTogetherAfterTheBatchAndMatchRepliesInOrder(
      FakeManagementServer.Kind kind) throws Exception {
    service(kind, false, List.of(), null, 1);
    play("bench_start.txt");
    await("connected", () -> service.client().isConnected());
    FakeManagementServer.Conn conn = server.current();
    ManagementClient client = service.client();
    List<CompletableFuture<CommandResult>> async = new java.util.ArrayList<>();
    String[] seenInside = new String[1];
    CompletableFuture<String> serverSaw = new CompletableFuture<>();
    client.batch(
        () -> {
          async.add(client.commandAsync(List.of("kill router-a"), CommandResult.Kind.SINGLE_LINE));
          async.add(client.commandAsync(List.of("kill router-b"), CommandResult.Kind.SINGLE_LINE));
          // a blocking command inside the batch is not held back (else it would wait forever)
          CompletableFuture.runAsync(
              () -> {
                try {
                  String first = conn.readLine(DEADLINE);
                  serverSaw.complete(first);
                  conn.send("SUCCESS: pid=42\r\n");
                } catch (Exception e) {
                  serverSaw.completeExceptionally(e);
                }
              });
          try {
            assertEquals("pid=42", client.command("pid", CommandResult.Kind.SINGLE_LINE).message());
            Thread.sleep(100);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          seenInside[0] = conn.pollLine();
        });
    assertEquals("pid", serverSaw.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
    assertEquals(null, seenInside[0], "a batched command was written before the batch ended");
    assertEquals("kill router-a", conn.readLine(DEADLINE));
    assertEquals("kill router-b", conn.readLine(DEADLINE));
    assertFalse(async.get(0).isDone());
    conn.send(
        "SUCCESS: common name 'router-a' found, 1 client(s) killed\r\n"
            + "ERROR: common name 'router-b' not found\r\n");
    assertTrue(
        async.get(0).get(DEADLINE.toSeconds(), TimeUnit.SECONDS).message().contains("router-a"));
    java.util.concurrent.ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.ExecutionException.class,
            () -> async.get(1).get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(ManagementCommandException.class, e.getCause());
  }
}
