package ovpnagent.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ovpnagent.store.InMemoryMappingStore;
import ovpnagent.util.HwAddr;

class RouterResolverTest {
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final MacRouterMap map = new MacRouterMap(new InMemoryMappingStore(), () -> 0L);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void concurrentMissesShareOneQuery() throws Exception {
    RouterResolver r = new RouterResolver(map, scheduler, Duration.ofSeconds(3));
    AtomicInteger queries = new AtomicInteger();
    CompletableFuture<Map<HwAddr, String>> answer = new CompletableFuture<>();
    r.register(
        "site",
        () -> {
          queries.incrementAndGet();
          return answer;
        });
    Map<HwAddr, String> table = new HashMap<>();
    List<CompletableFuture<String>> waits = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      HwAddr mac = HwAddr.ofLong(0x020000000100L + i);
      table.put(mac, i % 2 == 0 ? "router-a" : "router-b");
      waits.add(r.resolve(mac));
    }
    assertEquals(1, queries.get());
    answer.complete(table);
    for (int i = 0; i < 20; i++) {
      assertEquals(i % 2 == 0 ? "router-a" : "router-b", waits.get(i).get(2, TimeUnit.SECONDS));
    }
    assertEquals(1, queries.get());
    assertEquals(1, r.stats().rounds());
    assertEquals(20, r.stats().resolved());
    // Now known: no further query.
    assertEquals("router-a", r.resolve(HwAddr.ofLong(0x020000000100L)).get(1, TimeUnit.SECONDS));
    assertEquals(1, queries.get());
  }

  @Test
  void unknownAfterTheWaitCompletesWithNull() throws Exception {
    RouterResolver r = new RouterResolver(map, scheduler, Duration.ofMillis(200));
    r.register("site", CompletableFuture::new); // never answers
    long t0 = System.nanoTime();
    CompletableFuture<String> w = r.resolve(HwAddr.parse("02:00:00:00:00:01"));
    assertNull(w.get(2, TimeUnit.SECONDS));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 190 && ms < 1500, "waited " + ms + " ms");
    assertEquals(1, r.stats().timeouts());
  }

  @Test
  void queryWithoutTheMacEndsAtTheWaitNotEarlier() throws Exception {
    RouterResolver r = new RouterResolver(map, scheduler, Duration.ofMillis(300));
    AtomicInteger queries = new AtomicInteger();
    r.register(
        "site",
        () -> {
          queries.incrementAndGet();
          return CompletableFuture.completedFuture(Map.of());
        });
    assertNull(r.resolve(HwAddr.parse("02:00:00:00:00:02")).get(2, TimeUnit.SECONDS));
    assertEquals(1, queries.get());
  }

  @Test
  void learnAddressDuringTheWaitCompletesIt() throws Exception {
    RouterResolver r = new RouterResolver(map, scheduler, Duration.ofSeconds(3));
    r.register("site", CompletableFuture::new);
    HwAddr mac = HwAddr.parse("02:00:00:00:00:03");
    CompletableFuture<String> w = r.resolve(mac);
    Thread.sleep(50);
    map.learn(mac, "router-c", "site");
    assertEquals("router-c", w.get(1, TimeUnit.SECONDS));
  }

  @Test
  void failingInstanceDoesNotHideTheOther() throws Exception {
    RouterResolver r = new RouterResolver(map, scheduler, Duration.ofSeconds(2));
    HwAddr mac = HwAddr.parse("02:00:00:00:00:04");
    r.register(
        "down", () -> CompletableFuture.failedFuture(new java.io.IOException("not connected")));
    r.register("up", () -> CompletableFuture.completedFuture(Map.of(mac, "router-d")));
    assertEquals("router-d", r.resolve(mac).get(1, TimeUnit.SECONDS));
    assertEquals(1, r.stats().queryFailures());
  }

  @Test
  void refreshAsksAgainForAKnownMacAndSeesTheMove() throws Exception {
    RouterResolver r = new RouterResolver(map, scheduler, Duration.ofSeconds(2));
    HwAddr mac = HwAddr.parse("02:00:00:00:00:05");
    Map<HwAddr, String> table =
        new java.util.concurrent.ConcurrentHashMap<>(Map.of(mac, "router-a"));
    AtomicInteger queries = new AtomicInteger();
    r.register(
        "site",
        () -> {
          queries.incrementAndGet();
          return CompletableFuture.completedFuture(Map.copyOf(table));
        });
    map.learn(mac, "router-a", "site");
    table.put(mac, "router-b"); // moved; the learn-address update has not arrived
    assertEquals("router-a", r.resolve(mac).get(1, TimeUnit.SECONDS));
    assertEquals(0, queries.get());
    assertEquals("router-b", r.refresh(mac).get(1, TimeUnit.SECONDS));
    assertEquals(1, queries.get());
    assertEquals("router-b", map.routerOf(mac));
  }

  @Test
  void refreshNeedsARoundSentAfterIt() throws Exception {
    RouterResolver r = new RouterResolver(map, scheduler, Duration.ofSeconds(2));
    HwAddr mac = HwAddr.parse("02:00:00:00:00:06");
    map.learn(mac, "router-a", "site");
    List<CompletableFuture<Map<HwAddr, String>>> answers =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    r.register(
        "site",
        () -> {
          CompletableFuture<Map<HwAddr, String>> f = new CompletableFuture<>();
          answers.add(f);
          return f;
        });
    CompletableFuture<String> first = r.resolve(HwAddr.parse("02:00:00:00:00:0a")); // round 1
    CompletableFuture<String> again = r.refresh(mac); // arrives while round 1 is in flight
    assertEquals(1, answers.size());
    answers.get(0).complete(Map.of(mac, "router-a", HwAddr.parse("02:00:00:00:00:0a"), "router-z"));
    assertEquals("router-z", first.get(1, TimeUnit.SECONDS));
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (answers.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(2, answers.size(), "a second round for the late refresh");
    assertTrue(!again.isDone(), "round 1 was sent before the refresh: it does not answer it");
    answers.get(1).complete(Map.of(mac, "router-b"));
    assertEquals("router-b", again.get(1, TimeUnit.SECONDS));
  }
}
