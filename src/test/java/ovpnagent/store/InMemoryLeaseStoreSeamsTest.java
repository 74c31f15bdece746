package ovpnagent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovpnagent.store.StoreTesting.bound;
import static ovpnagent.store.StoreTesting.done;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The test seams server tests use to hold or fail lease writes. */
class InMemoryLeaseStoreSeamsTest {
  @Test
  void failingWritesChangeNothing() {
    InMemoryLeaseStore s = new InMemoryLeaseStore();
    s.failWrites(true);
    CompletableFuture<Void> f = s.save(bound("198.18.0.1", 1, 0));
    assertTrue(f.isCompletedExceptionally());
    assertEquals(List.of(), s.loadAll());
    s.failWrites(false);
    done(s.save(bound("198.18.0.1", 1, 0)));
    assertEquals(1, s.loadAll().size());
  }

  @Test
  void heldWritesApplyInOrderOnRelease() {
    InMemoryLeaseStore s = new InMemoryLeaseStore();
    s.holdWrites();
    Lease a = bound("198.18.0.1", 1, 0);
    CompletableFuture<Void> f1 = s.save(a);
    CompletableFuture<Void> f2 = s.delete(a.ip());
    CompletableFuture<Void> f3 = s.save(bound("198.18.0.1", 2, 5));
    assertFalse(f1.isDone());
    assertEquals(Optional.empty(), s.get(a.ip()));
    assertEquals(3, s.writeCount());
    s.releaseHeld();
    done(f1);
    done(f2);
    done(f3);
    assertEquals(Optional.of(bound("198.18.0.1", 2, 5)), s.get(a.ip()));
  }

  @Test
  void startsWithGivenLeases() {
    Lease a = bound("198.18.0.1", 1, 0);
    assertEquals(List.of(a), new InMemoryLeaseStore(List.of(a)).loadAll());
  }
}
