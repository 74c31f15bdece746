package ovpnagent.routed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import ovpnagent.store.StoreException;
import ovpnagent.util.Cidr;
import ovpnagent.util.Ipv4;

class RoutedAllocatorTest {
  private final InMemoryRoutedAddressStore store = new InMemoryRoutedAddressStore();
  private final MutableClock clock = new MutableClock();

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    long millis = 1_800_000_000_000L;

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private RoutedAllocator allocator(String pool, Topology t, Duration grace) {
    return new RoutedAllocator(
        "server", Cidr.parse(pool), t, store, grace, clock, Duration.ofSeconds(1), null);
  }

  private static String ip(int a) {
    return Ipv4.format(a);
  }

  @Test
  void subnetSkipsNetworkServerAndBroadcast() throws Exception {
    RoutedAllocator a = allocator("198.19.128.0/29", Topology.SUBNET, Duration.ZERO);
    assertEquals(5, a.capacity());
    Set<String> got = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      RoutedAllocator.Allocation x = a.allocate("r" + i);
      got.add(ip(x.address()));
      assertEquals("255.255.255.248", ip(x.second()));
    }
    assertEquals(
        Set.of("198.19.128.2", "198.19.128.3", "198.19.128.4", "198.19.128.5", "198.19.128.6"),
        got);
    PoolExhaustedException e = assertThrows(PoolExhaustedException.class, () -> a.allocate("r5"));
    assertTrue(e.getMessage().contains("198.19.128.0/29"), e.getMessage());
  }

  @Test
  void net30GivesDotTwoOfEachBlockWithDotOneAsRemote() throws Exception {
    RoutedAllocator a = allocator("198.19.128.0/28", Topology.NET30, Duration.ZERO);
    assertEquals(2, a.capacity(), "first block is the server's, last is skipped");
    RoutedAllocator.Allocation x = a.allocate("r0");
    assertEquals("198.19.128.6", ip(x.address()));
    assertEquals("198.19.128.5", ip(x.second()));
    RoutedAllocator.Allocation y = a.allocate("r1");
    assertEquals("198.19.128.10", ip(y.address()));
    assertEquals("198.19.128.9", ip(y.second()));
    assertEquals(
        List.of("ifconfig-push 198.19.128.10 198.19.128.9", "push \"x\""),
        PushReply.render(y, List.of("push \"x\"")));
    assertThrows(PoolExhaustedException.class, () -> a.allocate("r2"));
  }

  @Test
  void p2pPushesTheServerAddressAsRemote() throws Exception {
    RoutedAllocator a = allocator("198.19.128.0/24", Topology.P2P, Duration.ZERO);
    RoutedAllocator.Allocation x = a.allocate("r0");
    assertEquals("198.19.128.3", ip(x.address()));
    assertEquals("198.19.128.1", ip(x.second()));
  }

  @Test
  void subnetPushReply() throws Exception {
    RoutedAllocator a = allocator("198.19.128.0/24", Topology.SUBNET, Duration.ZERO);
    assertEquals(
        List.of("ifconfig-push 198.19.128.2 255.255.255.0"),
        PushReply.render(a.allocate("r0"), List.of()));
  }

  @Test
  void stickyAcrossReconnectWithinGraceThenReusable() throws Exception {
    RoutedAllocator a = allocator("198.19.128.0/29", Topology.SUBNET, Duration.ofMinutes(10));
    int first = a.allocate("router-a").address();
    a.release("router-a");
    assertNotEquals(first, a.allocate("router-b").address(), "reserved during grace");
    clock.millis += Duration.ofMinutes(5).toMillis();
    assertEquals(first, a.allocate("router-a").address(), "same name, same address");
    a.release("router-a");
    clock.millis += Duration.ofMinutes(10).toMillis();
    // grace over: router-a's address is recycled before fresh ones
    assertEquals(first, a.allocate("router-c").address());
    assertFalse(store.get("server", "router-c") == null);
    assertEquals(
        null, store.get("server", "router-a"), "expired reservation removed from the store");
  }

  @Test
  void stickyAcrossAgentRestartThroughTheStore() throws Exception {
    RoutedAllocator a = allocator("198.19.128.0/24", Topology.SUBNET, Duration.ofMinutes(10));
    a.allocate("router-a");
    int b = a.allocate("router-b").address();
    a.release("router-b");
    RoutedAllocator restarted =
        allocator("198.19.128.0/24", Topology.SUBNET, Duration.ofMinutes(10));
    assertEquals(b, restarted.allocate("router-b").address());
    assertEquals(
        "198.19.128.4", ip(restarted.allocate("router-c").address()), "loaded ones skipped");
    assertEquals(3, restarted.reserved());
  }

  @Test
  void savedAddressesOutsideThePoolAreIgnored() throws Exception {
    store.save(
        new ovpnagent.store.RoutedAddressStore.RoutedAddress(
            "server", "old", Ipv4.parse("198.18.5.5"), 0));
    RoutedAllocator a = allocator("198.19.128.0/24", Topology.SUBNET, Duration.ZERO);
    assertEquals(0, a.reserved());
    assertEquals("198.19.128.2", ip(a.allocate("old").address()));
  }

  @Test
  void storeFailureIsAStoreExceptionAndTheAddressIsNotLost() throws Exception {
    RoutedAllocator a = allocator("198.19.128.0/24", Topology.SUBNET, Duration.ZERO);
    store.setFailing(true);
    assertThrows(StoreException.class, () -> a.allocate("router-a"));
    store.setFailing(false);
    assertEquals("198.19.128.2", ip(a.allocate("router-a").address()));
  }

  @Test
  void reconcileReleasesVanishedAndReclaimsConnected() throws Exception {
    RoutedAllocator a = allocator("198.19.128.0/24", Topology.SUBNET, Duration.ofMinutes(1));
    a.allocate("router-a");
    a.allocate("router-b");
    a.release("router-b");
    a.reconcile(Set.of("router-b"));
    assertEquals(0, store.get("server", "router-b").releasedAtMs());
    assertTrue(store.get("server", "router-a").releasedAtMs() > 0);
    assertTrue(a.adopt("router-x", Ipv4.parse("198.19.128.9")));
    assertFalse(a.adopt("router-y", Ipv4.parse("198.19.128.9")), "taken");
    assertFalse(a.adopt("router-z", Ipv4.parse("198.19.128.1")), "server address");
  }

  @Test
  void noScanPerAllocationOnALargePool() throws Exception {
    RoutedAllocator a = allocator("198.18.0.0/16", Topology.SUBNET, Duration.ZERO);
    long t0 = System.nanoTime();
    for (int i = 0; i < 20_000; i++) {
      a.allocate("r" + i);
    }
    assertEquals(20_000, a.reserved());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos());
  }

  @Test
  void topologyParsing() {
    assertEquals(Topology.SUBNET, Topology.of("net30", true), "TAP is always subnet");
    assertEquals(Topology.NET30, Topology.of(null, false));
    assertEquals(Topology.P2P, Topology.of(" P2P ", false));
    assertThrows(IllegalArgumentException.class, () -> Topology.of("star", false));
    assertThrows(
        IllegalArgumentException.class,
        () -> allocator("198.19.128.0/30", Topology.NET30, Duration.ZERO));
  }

  /** A store whose saves complete only when the test says so (a group commit in flight). */
  private static final class HeldStore implements ovpnagent.store.RoutedAddressStore {
    final InMemoryRoutedAddressStore rows = new InMemoryRoutedAddressStore();
    final List<java.util.concurrent.CompletableFuture<Void>> held = new java.util.ArrayList<>();

    @Override
    public java.util.concurrent.CompletableFuture<Void> save(RoutedAddress a) {
      rows.save(a);
      var f = new java.util.concurrent.CompletableFuture<Void>();
      held.add(f);
      return f;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> remove(String instance, String cn) {
      return rows.remove(instance, cn);
    }

    @Override
    public List<RoutedAddress> loadAll(String instance) {
      return rows.loadAll(instance);
    }
  }

  /** A /24 subnet allocator on {@code held}, writing at once, with this store timeout. */
  private RoutedAllocator allocator(HeldStore held, Duration storeTimeout) {
    return new RoutedAllocator(
        "server",
        Cidr.parse("198.19.128.0/24"),
        Topology.SUBNET,
        held,
        Duration.ofMinutes(1),
        clock,
        storeTimeout,
        null);
  }

  @Test
  void aBurstIsAnsweredFromMemoryWhileItsRecordsAreWrittenBehind() throws Exception {
    HeldStore held = new HeldStore();
    RoutedAllocator a = allocator(held, Duration.ofSeconds(5));
    var x = a.allocateAsync("router-a");
    var y = a.allocateAsync("router-b");
    assertTrue(x.isDone() && y.isDone(), "the answer does not wait for the database");
    assertEquals(2, held.held.size(), "both records submitted at once");
    assertEquals("198.19.128.2", ip(x.join().address()));
    assertEquals("198.19.128.3", ip(y.join().address()));
    assertEquals("198.19.128.2", ip(a.allocateAsync("router-a").join().address()));
    // a record that does not commit is logged and counted; the client keeps its address
    held.held.get(0).completeExceptionally(new StoreException("db down", null));
    assertFalse(a.storeHealthy());
    assertEquals(1, a.saveFailures());
    assertEquals(2, a.reserved());
    // while the store is failing, a new address waits for its record ...
    var z = a.allocateAsync("router-c");
    assertFalse(z.isDone(), "no new address before its record while the store is failing");
    held.held.get(2).completeExceptionally(new StoreException("db down", null));
    var e = assertThrows(java.util.concurrent.CompletionException.class, z::join);
    assertTrue(e.getCause() instanceof StoreException, e.toString());
    assertEquals(2, a.reserved(), "the failed one is freed again");
    // ... and once a record commits again, answers come from memory again
    var w = a.allocateAsync("router-d");
    held.held.get(3).complete(null);
    assertEquals("198.19.128.4", ip(w.join().address()), "the freed address is reused first");
    assertTrue(a.storeHealthy());
    assertTrue(a.allocateAsync("router-e").isDone());
  }

  @Test
  void whileTheStoreIsFailingASaveThatNeverCompletesTimesOutAndFreesTheAddress() throws Exception {
    HeldStore held = new HeldStore();
    RoutedAllocator a = allocator(held, Duration.ofMillis(50));
    a.allocateAsync("router-a");
    held.held.get(0).completeExceptionally(new StoreException("db down", null));
    var stuck = a.allocateAsync("router-b"); // its save never completes
    var e = assertThrows(java.util.concurrent.CompletionException.class, stuck::join);
    assertTrue(e.getCause().getMessage().contains("took over 50 ms"), e.getCause().getMessage());
    assertEquals(1, a.reserved());
    // a reconnect of a known name is answered at once: its reservation already exists
    a.release("router-a");
    assertTrue(a.allocateAsync("router-a").isDone());
  }

  @Test
  void aConnectedClientWinsItsAddressOverAStaleReservation() throws Exception {
    RoutedAllocator a = allocator("198.19.128.0/24", Topology.SUBNET, Duration.ofMinutes(1));
    int addr = a.allocate("old-holder").address();
    // after a crash the store still says "old-holder", but OpenVPN reports "router-a" on it
    a.reconcile(Set.of("router-a"));
    assertTrue(a.adopt("router-a", addr));
    assertEquals(addr, a.addressOf("router-a").getAsInt());
    assertTrue(a.addressOf("old-holder").isEmpty());
    assertEquals(null, store.get("server", "old-holder"));
    assertEquals(addr, store.get("server", "router-a").ip());
    assertNotEquals(addr, a.allocate("old-holder").address(), "never given twice");
  }

  @Test
  void writesBehindAreCollectedSubmittedLaterInOrderAndFlushedOnDemand() throws Exception {
    List<Runnable> later = new java.util.ArrayList<>();
    RoutedAllocator a =
        new RoutedAllocator(
            "server",
            Cidr.parse("198.19.128.0/24"),
            Topology.SUBNET,
            store,
            Duration.ofMinutes(1),
            clock,
            Duration.ofSeconds(5),
            later::add);
    int x = a.allocateAsync("router-a").join().address();
    a.allocateAsync("router-b").join();
    a.release("router-a");
    assertEquals(null, store.get("server", "router-a"), "nothing written during the burst");
    assertEquals(1, later.size(), "one flush scheduled for the whole burst");
    later.remove(0).run();
    assertEquals(x, store.get("server", "router-a").ip());
    assertTrue(store.get("server", "router-a").releasedAtMs() > 0, "the release came last");
    assertEquals(0, store.get("server", "router-b").releasedAtMs());
    a.allocateAsync("router-c").join();
    a.flushWrites(); // as at shutdown, before the store closes
    assertFalse(store.get("server", "router-c") == null);
    // records that the store refuses when they are flushed mark it failing and are counted
    a.allocateAsync("router-d").join();
    store.setFailing(true);
    a.flushWrites();
    assertFalse(a.storeHealthy());
    assertEquals(1, a.saveFailures());
    store.setFailing(false);
    // while failing, a new address is written at once, after what was collected before it
    a.release("router-c");
    assertEquals(0, store.get("server", "router-c").releasedAtMs(), "still collected");
    a.allocate("router-e");
    assertTrue(store.get("server", "router-c").releasedAtMs() > 0, "flushed before the new write");
    assertFalse(store.get("server", "router-e") == null);
    assertTrue(a.storeHealthy(), "a committed record clears the failing state");
  }
}
