package ovpnagent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovpnagent.store.StoreTesting.bound;
import static ovpnagent.store.StoreTesting.done;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovpnagent.util.Ipv4;

/** H2-specific behaviour: durability settings, group commit, failures, back-pressure, close. */
class H2StoreTest {
  private static final long NOW = 1_700_000_000_000L;
  @TempDir Path dir;
  private final List<H2Store> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(H2Store::close);
  }

  private H2Store open(String url, H2Store.Options options) {
    H2Store s = H2Store.open(url, options);
    opened.add(s);
    return s;
  }

  private H2Store open() {
    return open(StoreTesting.h2FileUrl(dir), H2Store.Options.DEFAULTS);
  }

  /** Occupies the writer thread until the returned latch is counted down. */
  private static CompletableFuture<Void> blockWriter(H2Store s, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CompletableFuture<Void> f =
        s.submitRaw(
            new WriteOp(
                "UPDATE meta SET version = version WHERE version = ?",
                ps -> {
                  entered.countDown();
                  try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                      throw new IllegalStateException("test never released the writer");
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  ps.setInt(1, -1);
                }));
    assertTrue(entered.await(10, TimeUnit.SECONDS), "writer never picked up the blocker");
    return f;
  }

  private static Throwable failure(CompletableFuture<Void> f) throws Exception {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  private static String lease(int n) {
    return "198.18." + (n / 250) + "." + (n % 250 + 1);
  }

  @Test
  void fileStoreRunsWithWriteDelayZero() {
    H2Store s = open();
    assertEquals("0", s.h2Setting("WRITE_DELAY"));
  }

  @Test
  void explicitNonZeroWriteDelayIsOverridden() {
    H2Store s = open(StoreTesting.h2FileUrl(dir) + ";WRITE_DELAY=500", H2Store.Options.DEFAULTS);
    assertEquals("0", s.h2Setting("WRITE_DELAY"));
  }

  @Test
  void retentionTimeInUrlIsRefused() {
    StoreException e =
        assertThrows(
            StoreException.class,
            () -> H2Store.open(StoreTesting.h2FileUrl(dir) + ";RETENTION_TIME=0"));
    assertTrue(e.getMessage().contains("RETENTION_TIME"), e.getMessage());
  }

  @Test
  void secondOpenOfTheSameFileInThisProcessSharesIt() {
    H2Store a = open();
    done(a.leases().save(bound("198.18.0.9", 1, NOW)));
    a.close();
    H2Store b = open();
    assertEquals(1, b.leases().loadAll().size());
  }

  @Test
  void namedInMemoryDatabaseWorks() {
    H2Store s = open("jdbc:h2:mem:store-test-" + System.nanoTime(), H2Store.Options.DEFAULTS);
    done(s.leases().save(bound("198.18.0.9", 1, NOW)));
    assertEquals(1, s.leases().loadAll().size());
  }

  @Test
  void loneChangesAreEachCommittedAtOnce() {
    H2Store s = open();
    long before = s.stats().commits();
    for (int i = 0; i < 50; i++) {
      done(s.leases().save(bound(lease(i), i, NOW)));
    }
    assertEquals(50, s.stats().commits() - before);
    assertEquals(50, s.leases().loadAll().size());
  }

  @Test
  void changesQueuedTogetherShareOneCommit() throws Exception {
    H2Store s = open();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocker = blockWriter(s, release);
    long before = s.stats().commits();
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      fs.add(s.leases().save(bound(lease(i), i, NOW)));
    }
    fs.add(s.mappings().put(StoreTesting.mac(1), "r", NOW));
    assertFalse(fs.get(0).isDone(), "completed before the writer could commit it");
    release.countDown();
    done(blocker);
    fs.forEach(StoreTesting::done);
    // the blocker's own commit, then one commit for all 501 queued changes
    assertEquals(2, s.stats().commits() - before);
    assertTrue(s.stats().largestBatch() >= 501, s.stats().toString());
    assertEquals(500, s.leases().loadAll().size());
    assertEquals(Optional.of("r"), s.mappings().routerOf(StoreTesting.mac(1)));
  }

  @Test
  void laterChangesToTheSameAddressInABatchReplaceEarlierOnes() throws Exception {
    H2Store s = open();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocker = blockWriter(s, release);
    Lease offered = bound("198.18.0.1", 1, NOW).withState(LeaseState.OFFERED, NOW, NOW + 30_000);
    Lease acked = bound("198.18.0.1", 1, NOW + 1);
    Lease other = bound("198.18.0.2", 2, NOW);
    List<CompletableFuture<Void>> fs =
        List.of(
            s.leases().save(offered),
            s.leases().save(other),
            s.leases().save(acked),
            s.leases().delete(other.ip()),
            s.leases().save(other.withState(LeaseState.RELEASED, NOW + 2, NOW + 2)),
            s.mappings().put(StoreTesting.mac(1), "r", NOW));
    release.countDown();
    done(blocker);
    fs.forEach(StoreTesting::done);
    assertEquals(
        List.of(acked, other.withState(LeaseState.RELEASED, NOW + 2, NOW + 2)),
        s.leases().loadAll());
    assertEquals(3, s.stats().coalesced());
  }

  @Test
  void aFailedStatementFailsTheWholeBatchAndRollsItBack() throws Exception {
    H2Store s = open();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocker = blockWriter(s, release);
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fs.add(s.leases().save(bound(lease(i), i, NOW)));
    }
    // NOT NULL violation when the batch executes
    fs.add(
        s.submitRaw(
            new WriteOp(
                "INSERT INTO meta (version) VALUES (?)",
                ps -> ps.setNull(1, java.sql.Types.INTEGER))));
    fs.add(s.leases().save(bound(lease(20), 20, NOW)));
    release.countDown();
    done(blocker);
    for (CompletableFuture<Void> f : fs) {
      assertInstanceOf(StoreException.class, failure(f));
    }
    assertEquals(List.of(), s.leases().loadAll(), "failed batch must be rolled back");
    assertEquals(1, s.stats().failedCommits());
    // the writer keeps going
    done(s.leases().save(bound(lease(30), 30, NOW)));
    assertEquals(1, s.leases().loadAll().size());
  }

  @Test
  void anUnpreparableStatementFailsItsBatchAndTheWriterGoesOn() throws Exception {
    H2Store s = open();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocker = blockWriter(s, release);
    CompletableFuture<Void> good = s.leases().save(bound(lease(1), 1, NOW));
    CompletableFuture<Void> bad =
        s.submitRaw(new WriteOp("INSERT INTO no_such_table VALUES (?)", ps -> ps.setInt(1, 1)));
    release.countDown();
    done(blocker);
    assertInstanceOf(StoreException.class, failure(good));
    assertInstanceOf(StoreException.class, failure(bad));
    assertEquals(Optional.empty(), s.leases().get(Ipv4.parse(lease(1))));
    done(s.leases().save(bound(lease(2), 2, NOW)));
    assertTrue(s.leases().get(Ipv4.parse(lease(2))).isPresent());
  }

  @Test
  void aFullQueueFailsNewChangesAtOnceWithoutBlocking() throws Exception {
    H2Store s = open(StoreTesting.h2FileUrl(dir), new H2Store.Options(4, 1024, 10_000));
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocker = blockWriter(s, release);
    List<CompletableFuture<Void>> accepted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      accepted.add(s.leases().save(bound(lease(i), i, NOW)));
    }
    CompletableFuture<Void> refused = s.leases().save(bound(lease(9), 9, NOW));
    assertTrue(refused.isCompletedExceptionally(), "a full queue must fail at once");
    assertInstanceOf(StoreException.class, failure(refused));
    assertEquals(1, s.stats().rejected());
    release.countDown();
    done(blocker);
    accepted.forEach(StoreTesting::done);
    assertEquals(4, s.leases().loadAll().size());
  }

  @Test
  void closeCommitsEverythingQueuedThenRefusesWrites() throws Exception {
    H2Store s = open();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocker = blockWriter(s, release);
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      fs.add(s.leases().save(bound(lease(i), i, NOW)));
    }
    Thread closer = new Thread(s::close);
    closer.start();
    // close must wait for the writer, so writes submitted now are refused while it drains
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    CompletableFuture<Void> late;
    do {
      late = s.leases().save(bound("198.18.9.9", 999, NOW));
      Thread.sleep(1);
    } while (!late.isCompletedExceptionally() && System.nanoTime() < deadline);
    assertInstanceOf(StoreException.class, failure(late));
    release.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(20));
    assertFalse(closer.isAlive(), "close did not return");
    done(blocker);
    fs.forEach(StoreTesting::done);
    s.close(); // idempotent
    H2Store again = open();
    assertTrue(again.leases().loadAll().size() >= 100);
    assertTrue(again.leases().get(Ipv4.parse(lease(99))).isPresent());
  }

  @Test
  void readsAfterCloseFailAndWritesFailFast() {
    H2Store s = open();
    s.close();
    assertThrows(StoreException.class, () -> s.leases().loadAll());
    CompletableFuture<Void> f = s.mappings().put(StoreTesting.mac(1), "r", 1);
    assertTrue(f.isCompletedExceptionally());
  }

  @Test
  void reopeningKeepsTheSchemaVersionWithoutMigrating() throws Exception {
    H2Store a = open();
    a.close();
    try (var c = java.sql.DriverManager.getConnection(StoreTesting.h2FileUrl(dir))) {
      assertEquals(Schema.VERSION, Schema.storedVersion(c));
      assertEquals(Schema.VERSION, Schema.migrate(c));
    }
  }

  @Test
  void tooLongTextIsRefusedBeforeItCanPoisonABatch() throws Exception {
    H2Store s = open();
    String longName = "x".repeat(Schema.MAX_TEXT + 1);
    Lease l =
        new Lease(Ipv4.parse("198.18.0.1"), "k", null, LeaseState.BOUND, NOW, NOW, null, longName);
    CompletableFuture<Void> f = s.leases().save(l);
    assertTrue(f.isCompletedExceptionally());
    assertInstanceOf(StoreException.class, failure(f));
    assertEquals(0, s.stats().failedCommits());
  }
}
