package ovpnagent.dhcp.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseStore;
import ovpnagent.store.StoreException;

/**
 * An in-memory LeaseStore for the server tests. Writes complete at once by default; in HOLD mode
 * they wait for {@link #completeHeld()}, in FAIL mode they fail (and are not applied).
 */
final class FakeLeaseStore implements LeaseStore {
  enum Mode {
    IMMEDIATE,
    HOLD,
    FAIL
  }

  private record Held(Runnable apply, CompletableFuture<Void> future) {}

  private final Map<Integer, Lease> rows = new ConcurrentHashMap<>();
  private final List<Held> held = new ArrayList<>();
  private volatile Mode mode = Mode.IMMEDIATE;

  void mode(Mode m) {
    mode = m;
  }

  @Override
  public List<Lease> loadAll() {
    return new ArrayList<>(rows.values());
  }

  @Override
  public CompletableFuture<Void> save(Lease lease) {
    return write(() -> rows.put(lease.ip(), lease));
  }

  @Override
  public CompletableFuture<Void> delete(int ip) {
    return write(() -> rows.remove(ip));
  }

  private synchronized CompletableFuture<Void> write(Runnable apply) {
    switch (mode) {
      case FAIL:
        return CompletableFuture.failedFuture(
            new StoreException("disk full (test)", new java.io.IOException("ENOSPC")));
      case HOLD:
        CompletableFuture<Void> f = new CompletableFuture<>();
        held.add(new Held(apply, f));
        return f;
      default:
        apply.run();
        return CompletableFuture.completedFuture(null);
    }
  }

  /** Applies and completes every held write; returns how many. */
  int completeHeld() {
    List<Held> now;
    synchronized (this) {
      now = new ArrayList<>(held);
      held.clear();
    }
    for (Held h : now) {
      h.apply.run();
      h.future.complete(null);
    }
    return now.size();
  }

  /** Fails every held write; returns how many. */
  int failHeld() {
    List<Held> now;
    synchronized (this) {
      now = new ArrayList<>(held);
      held.clear();
    }
    for (Held h : now) {
      h.future.completeExceptionally(new StoreException("commit failed (test)", null));
    }
    return now.size();
  }

  synchronized int heldCount() {
    return held.size();
  }

  @Override
  public Optional<Lease> get(int ip) {
    return Optional.ofNullable(rows.get(ip));
  }

  @Override
  public List<Lease> findByClient(String clientKey) {
    List<Lease> out = new ArrayList<>();
    for (Lease l : rows.values()) {
      if (l.clientKey().equals(clientKey)) {
        out.add(l);
      }
    }
    return out;
  }

  @Override
  public void close() {}
}
