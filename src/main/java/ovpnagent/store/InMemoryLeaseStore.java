package ovpnagent.store;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Leases in a map, for server tests and for running without a database.
 *
 * <ul>
 *   <li><b>Start:</b> empty (or the leases given to the constructor).
 *   <li><b>Each write:</b> applied to the map at once and its future completed at once (unless a
 *       test asked to {@link #holdWrites() hold} or {@link #failWrites(boolean) fail} writes).
 *   <li><b>Durability:</b> none; everything is lost with the process.
 * </ul>
 *
 * <p>Thread-safe (one lock).
 */
public final class InMemoryLeaseStore implements LeaseStore {
  private final NavigableMap<Integer, Lease> byIp = new TreeMap<>(Integer::compareUnsigned);
  private final List<Runnable> held = new ArrayList<>();
  private boolean holding;
  private boolean failing;
  private long writes;

  /** An empty store. */
  public InMemoryLeaseStore() {}

  /** A store that starts with {@code initial} (as if loaded from disk). */
  public InMemoryLeaseStore(List<Lease> initial) {
    for (Lease l : initial) {
      byIp.put(l.ip(), l);
    }
  }

  @Override
  public synchronized List<Lease> loadAll() {
    return new ArrayList<>(byIp.values());
  }

  @Override
  public CompletableFuture<Void> save(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    return write(() -> byIp.put(lease.ip(), lease));
  }

  @Override
  public CompletableFuture<Void> delete(int ip) {
    return write(() -> byIp.remove(ip));
  }

  @Override
  public synchronized Optional<Lease> get(int ip) {
    return Optional.ofNullable(byIp.get(ip));
  }

  @Override
  public synchronized List<Lease> findByClient(String clientKey) {
    String key = clientKey == null ? "" : clientKey;
    List<Lease> out = new ArrayList<>();
    for (Lease l : byIp.values()) {
      if (l.clientKey().equals(key)) {
        out.add(l);
      }
    }
    return out;
  }

  /** Test seam: while true, every write fails with {@link StoreException} and changes nothing. */
  public synchronized void failWrites(boolean fail) {
    this.failing = fail;
  }

  /** Test seam: from now on writes are neither applied nor completed until {@link #releaseHeld}. */
  public synchronized void holdWrites() {
    holding = true;
  }

  /** Test seam: applies and completes every held write in order, and stops holding. */
  public void releaseHeld() {
    List<Runnable> toRun;
    synchronized (this) {
      holding = false;
      toRun = new ArrayList<>(held);
      held.clear();
    }
    toRun.forEach(Runnable::run);
  }

  /** Writes accepted so far (applied or held). */
  public synchronized long writeCount() {
    return writes;
  }

  @Override
  public void close() {}

  private CompletableFuture<Void> write(Runnable change) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (this) {
      if (failing) {
        return CompletableFuture.failedFuture(new StoreException("in-memory store set to fail"));
      }
      writes++;
      if (holding) {
        held.add(
            () -> {
              synchronized (this) {
                change.run();
              }
              f.complete(null);
            });
        return f;
      }
      change.run();
    }
    f.complete(null);
    return f;
  }
}
