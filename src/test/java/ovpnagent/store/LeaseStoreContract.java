package ovpnagent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovpnagent.store.StoreTesting.bound;
import static ovpnagent.store.StoreTesting.done;
import static ovpnagent.store.StoreTesting.ip;
import static ovpnagent.store.StoreTesting.mac;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LeaseStore} must do (style.md practice 10). Subclasses supply a fresh store and
 * a way to reopen the same backing storage.
 */
abstract class LeaseStoreContract {
  private static final long NOW = 1_700_000_000_000L;
  protected LeaseStore store;

  /** A new, empty store. */
  protected abstract LeaseStore open() throws Exception;

  /** Closes {@link #store} and opens the same storage again (in memory: the same store). */
  protected abstract LeaseStore reopen() throws Exception;

  /** Releases whatever {@link #open} created. */
  protected abstract void closeAll() throws Exception;

  @BeforeEach
  void setUpStore() throws Exception {
    store = open();
  }

  @AfterEach
  void tearDownStore() throws Exception {
    closeAll();
  }

  @Test
  void newStoreIsEmpty() {
    assertEquals(List.of(), store.loadAll());
    assertEquals(Optional.empty(), store.get(ip("198.18.0.10")));
    assertEquals(List.of(), store.findByClient("52:54:00:00:00:01"));
  }

  @Test
  void savedLeaseReadsBackWithEveryField() {
    Lease l =
        new Lease(
            ip("198.18.0.10"),
            "id:01525400000001",
            mac(1),
            LeaseState.BOUND,
            NOW,
            NOW + 600_000,
            "router-a",
            "laptop");
    done(store.save(l));
    assertEquals(Optional.of(l), store.get(l.ip()));
    assertEquals(List.of(l), store.loadAll());
  }

  @Test
  void declinedLeaseWithoutClientMacOrNamesRoundTrips() {
    Lease l =
        new Lease(
            ip("198.18.0.11"), null, null, LeaseState.DECLINED, NOW, NOW + 86_400_000, null, null);
    done(store.save(l));
    Lease back = store.get(l.ip()).orElseThrow();
    assertEquals(l, back);
    assertEquals("", back.clientKey());
    assertEquals(null, back.mac());
  }

  @Test
  void everyStateRoundTrips() {
    int i = 0;
    for (LeaseState s : LeaseState.values()) {
      Lease l = bound("198.18.1." + (++i), i, NOW).withState(s, NOW + i, NOW + 1000 * i);
      done(store.save(l));
      assertEquals(Optional.of(l), store.get(l.ip()), s.name());
    }
    assertEquals(LeaseState.values().length, store.loadAll().size());
  }

  @Test
  void saveReplacesTheLeaseOfTheSameAddress() {
    Lease first = bound("198.18.0.20", 1, NOW);
    Lease second = bound("198.18.0.20", 2, NOW + 5);
    done(store.save(first));
    done(store.save(second));
    assertEquals(List.of(second), store.loadAll());
    assertEquals(List.of(), store.findByClient(first.clientKey()));
    assertEquals(List.of(second), store.findByClient(second.clientKey()));
  }

  @Test
  void deleteRemovesAndDeletingNothingSucceeds() {
    Lease l = bound("198.18.0.30", 1, NOW);
    done(store.save(l));
    done(store.delete(l.ip()));
    assertEquals(Optional.empty(), store.get(l.ip()));
    done(store.delete(ip("198.18.0.31")));
    assertEquals(List.of(), store.loadAll());
  }

  @Test
  void loadAllIsOrderedByUnsignedAddress() {
    String[] ips = {"255.255.255.254", "10.0.0.1", "198.18.0.5", "128.0.0.0", "127.255.255.255"};
    int n = 0;
    for (String a : ips) {
      done(store.save(bound(a, ++n, NOW)));
    }
    List<String> order = new ArrayList<>();
    for (Lease l : store.loadAll()) {
      order.add(ovpnagent.util.Ipv4.format(l.ip()));
    }
    assertEquals(
        List.of("10.0.0.1", "127.255.255.255", "128.0.0.0", "198.18.0.5", "255.255.255.254"),
        order);
  }

  @Test
  void findByClientReturnsOnlyThatClientsLeasesInAddressOrder() {
    Lease a = bound("198.18.0.42", 7, NOW);
    Lease b = bound("198.18.0.41", 7, NOW).withState(LeaseState.RELEASED, NOW, NOW);
    Lease other = bound("198.18.0.40", 8, NOW);
    done(store.save(a));
    done(store.save(b));
    done(store.save(other));
    assertEquals(List.of(b, a), store.findByClient(mac(7).toString()));
    assertEquals(List.of(), store.findByClient("id:ff"));
  }

  @Test
  void changesSubmittedWithoutWaitingApplyInOrder() {
    int addr = ip("198.18.0.50");
    Lease one = bound("198.18.0.50", 1, NOW);
    Lease two = bound("198.18.0.50", 2, NOW + 1);
    Lease three = bound("198.18.0.51", 3, NOW + 2);
    List<CompletableFuture<Void>> fs =
        List.of(
            store.save(one),
            store.delete(addr),
            store.save(two),
            store.save(three),
            store.delete(three.ip()));
    fs.forEach(StoreTesting::done);
    assertEquals(List.of(two), store.loadAll());
  }

  @Test
  void concurrentWritersAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        jobs.add(
            pool.submit(
                () -> {
                  List<CompletableFuture<Void>> fs = new ArrayList<>();
                  for (int i = 0; i < 200; i++) {
                    int host = thread * 200 + i;
                    fs.add(
                        store.save(
                            bound("198.18." + (host / 250) + "." + (host % 250 + 1), host, NOW)));
                  }
                  fs.forEach(StoreTesting::done);
                }));
      }
      for (Future<?> j : jobs) {
        j.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Lease> all = store.loadAll();
    assertEquals(1600, all.size());
    Set<String> keys = new HashSet<>();
    all.forEach(l -> keys.add(l.clientKey()));
    assertEquals(1600, keys.size());
  }

  @Test
  void leasesAndProbationSurviveReopen() throws Exception {
    Lease b = bound("198.18.0.60", 1, NOW);
    Lease probation =
        new Lease(
            ip("198.18.0.61"), "", null, LeaseState.DECLINED, NOW, NOW + 3_600_000, null, null);
    done(store.save(b));
    done(store.save(probation));
    store = reopen();
    assertEquals(List.of(b, probation), store.loadAll());
    Lease p = store.get(probation.ip()).orElseThrow();
    assertEquals(LeaseState.DECLINED, p.state());
    assertEquals(NOW + 3_600_000, p.expiresAt());
    assertTrue(p.activeAt(NOW + 3_599_999));
  }
}
