package ovpnagent.routed;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.store.RoutedAddressStore;
import ovpnagent.store.RoutedAddressStore.RoutedAddress;
import ovpnagent.store.StoreException;
import ovpnagent.util.Cidr;
import ovpnagent.util.Ipv4;

/**
 * Allocates routed-TUN client addresses from one instance's pool. The server's own {@code .1}, the
 * network and broadcast addresses are never handed out (net30: the first and last /30 are skipped,
 * a client gets {@code .2} of its block with {@code .1} as remote). An address is sticky per common
 * name: recorded in the {@link RoutedAddressStore} (written behind, so it survives agent restarts;
 * see {@link #allocateAsync} for what a crash can lose and how OpenVPN's own view restores it),
 * kept while the client is connected and for {@code grace} after its DISCONNECT, then reused. Free
 * units come from a queue of recycled units and a never-used cursor: no scan per allocation.
 * Thread-safe.
 */
public final class RoutedAllocator {
  private static final Logger log = LoggerFactory.getLogger(RoutedAllocator.class);

  /**
   * One assigned address.
   *
   * @param address the client's address
   * @param second the netmask (subnet) or the remote end (net30, p2p) for {@code ifconfig-push}
   */
  public record Allocation(String commonName, int address, int second) {}

  private static final class Reservation {
    final int address;
    long releasedAtMs;

    /** The save that made this reservation connected, while it may still be pending. */
    CompletableFuture<Void> saving;

    Reservation(int address, long releasedAtMs) {
      this.address = address;
      this.releasedAtMs = releasedAtMs;
    }
  }

  private record Released(String commonName, long releasedAtMs) {}

  private final String instance;
  private final Cidr pool;
  private final Topology topology;
  private final RoutedAddressStore store;
  private final long graceMs;
  private final Clock clock;
  private final Duration storeTimeout;
  private final int unitSize;
  private final long firstUnit;
  private final long unitCount;
  private final Map<String, Reservation> byName = new HashMap<>();
  private final Map<Integer, String> byAddress = new HashMap<>();
  private final ArrayDeque<Released> released = new ArrayDeque<>();
  private final ArrayDeque<Integer> recycled = new ArrayDeque<>();
  private long nextFresh;
  private volatile boolean storeHealthy = true;
  private final WriteBehind behind;
  private final java.util.concurrent.atomic.LongAdder saveFailures =
      new java.util.concurrent.atomic.LongAdder();

  /**
   * Creates the allocator and loads the instance's saved addresses.
   *
   * @param writeBehind runs the submission of collected store writes some time after the first of
   *     them (e.g. {@code CompletableFuture.delayedExecutor(20, MILLISECONDS)}), so a burst of
   *     CONNECTs is answered before its records are written; null submits each write at once. Call
   *     {@link #flushWrites()} before the store closes.
   * @throws StoreException if the store cannot be read
   * @throws IllegalArgumentException if the pool has no usable unit
   */
  public RoutedAllocator(
      String instance,
      Cidr pool,
      Topology topology,
      RoutedAddressStore store,
      Duration grace,
      Clock clock,
      Duration storeTimeout,
      java.util.concurrent.Executor writeBehind) {
    this.behind = new WriteBehind(writeBehind);
    this.instance = instance;
    this.pool = new Cidr(pool.network(), pool.prefix());
    this.topology = topology;
    this.store = store;
    this.graceMs = grace.toMillis();
    this.clock = clock;
    this.storeTimeout = storeTimeout;
    long size = this.pool.size();
    if (topology == Topology.NET30) {
      unitSize = 4;
      firstUnit = 1;
      unitCount = Math.max(0, size / 4 - 2);
    } else {
      unitSize = 1;
      // skip network (.0), server (.1) and, for p2p, the server's remote (.2); broadcast at the end
      firstUnit = topology == Topology.P2P ? 3 : 2;
      unitCount = Math.max(0, size - firstUnit - 1);
    }
    if (unitCount <= 0) {
      throw new IllegalArgumentException(
          "routed pool " + pool + " has no usable address for topology " + topology);
    }
    load();
  }

  private void load() {
    List<RoutedAddress> saved = new ArrayList<>(store.loadAll(instance));
    saved.sort(Comparator.comparingLong(RoutedAddress::releasedAtMs));
    for (RoutedAddress r : saved) {
      if (!isClientAddress(r.ip()) || byAddress.containsKey(r.ip())) {
        log.warn(
            "event=routed_saved_address_ignored instance={} cn={} ip={} pool={}",
            instance,
            r.commonName(),
            Ipv4.format(r.ip()),
            pool);
        continue;
      }
      byName.put(r.commonName(), new Reservation(r.ip(), r.releasedAtMs()));
      byAddress.put(r.ip(), r.commonName());
      if (r.releasedAtMs() != 0) {
        released.add(new Released(r.commonName(), r.releasedAtMs()));
      }
    }
  }

  /** The topology this allocator renders for. */
  public Topology topology() {
    return topology;
  }

  /**
   * The address of {@code commonName}, as {@link #allocateAsync} but waiting for the result.
   *
   * @throws PoolExhaustedException if no unit is free
   * @throws StoreException if the store refused the record, or (while the store is failing) did not
   *     confirm it in time
   */
  public Allocation allocate(String commonName) throws PoolExhaustedException {
    CompletableFuture<Allocation> f = allocateAsync(commonName);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while saving routed address of " + commonName, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StoreException se
          ? se
          : new StoreException("saving routed address of " + commonName + " failed", e.getCause());
    }
  }

  /**
   * The address of {@code commonName}: its reservation if it has one (a reconnect), else a free
   * unit. The allocator's memory is the authority while it runs (no address is reserved twice), and
   * the record is written behind: the answer does not wait for it (with a write-behind executor,
   * the writes of a burst are collected and submitted together a little later, sharing the store's
   * commits), so a burst of CONNECTs is not paced by the database. What a crash before the commit
   * loses is recovered from OpenVPN, which knows every connected client's address: the {@code
   * status 3} resync after a restart adopts them ({@link #adopt}), a connected client winning over
   * a stale reservation.
   *
   * <p>While the store is failing (a save was refused or did not commit, until the next one does),
   * a new address is only returned once its record is durable; if that fails or takes longer than
   * the store timeout, the future fails with {@link StoreException} and the address is freed again,
   * so the client is denied with a clear reason instead of being given an address nobody records.
   *
   * @throws PoolExhaustedException if no unit is free (decided at once, from memory)
   */
  public synchronized CompletableFuture<Allocation> allocateAsync(String commonName)
      throws PoolExhaustedException {
    Reservation r = byName.get(commonName);
    if (r != null) {
      if (r.releasedAtMs != 0) {
        r.releasedAtMs = 0;
        saveInBackground(commonName, r.address, 0, "routed_reconnect_not_saved");
      }
      Allocation a = allocation(commonName, r.address);
      CompletableFuture<Void> pending = r.saving;
      return pending == null ? CompletableFuture.completedFuture(a) : pending.thenApply(v -> a);
    }
    expire(clock.millis());
    int addr = take();
    Reservation fresh = new Reservation(addr, 0);
    byName.put(commonName, fresh);
    byAddress.put(addr, commonName);
    Allocation a = allocation(commonName, addr);
    if (storeHealthy && behind.deferred()) {
      saveInBackground(commonName, addr, 0, "routed_address_not_saved");
      return CompletableFuture.completedFuture(a);
    }
    CompletableFuture<Void> write = behind.now(() -> submit(commonName, addr, 0));
    Runnable undo =
        () -> {
          if (byName.get(commonName) == fresh) {
            byName.remove(commonName);
            byAddress.remove(addr);
            recycled.addFirst(addr);
          }
        };
    if (write.isCompletedExceptionally()) {
      storeHealthy = false;
      undo.run();
      return CompletableFuture.failedFuture(storeFailure(commonName, write));
    }
    if (storeHealthy) {
      watch(commonName, write, "routed_address_not_saved");
      return CompletableFuture.completedFuture(a);
    }
    fresh.saving = durable(commonName, fresh, write, undo);
    return fresh.saving.thenApply(v -> a);
  }

  /** True unless the last save that completed failed. */
  public boolean storeHealthy() {
    return storeHealthy;
  }

  private CompletableFuture<Void> submit(String cn, int addr, long releasedAtMs) {
    try {
      return store.save(new RoutedAddress(instance, cn, addr, releasedAtMs));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static StoreException storeFailure(String cn, CompletableFuture<Void> failed) {
    try {
      failed.join();
      return new StoreException("saving routed address of " + cn + " failed");
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return cause instanceof StoreException se
          ? se
          : new StoreException("saving routed address of " + cn + " failed", cause);
    }
  }

  /**
   * Waits (up to the store timeout) for {@code write}; on failure runs {@code undo} under the
   * allocator's lock (if the reservation was not changed since) and fails with a {@link
   * StoreException}. Clears {@code r.saving} once durable.
   */
  private CompletableFuture<Void> durable(
      String cn, Reservation r, CompletableFuture<Void> write, Runnable undo) {
    CompletableFuture<Void> out = new CompletableFuture<>();
    write
        .orTimeout(storeTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (v, e) -> {
              synchronized (this) {
                storeHealthy = e == null;
                if (r.saving == out) {
                  r.saving = null;
                }
                if (e != null) {
                  undo.run();
                }
              }
              if (e == null) {
                out.complete(null);
                return;
              }
              Throwable cause = e instanceof CompletionException ? e.getCause() : e;
              out.completeExceptionally(
                  cause instanceof TimeoutException
                      ? new StoreException(
                          "saving routed address of "
                              + cn
                              + " took over "
                              + storeTimeout.toMillis()
                              + " ms",
                          cause)
                      : cause instanceof StoreException se
                          ? se
                          : new StoreException(
                              "saving routed address of " + cn + " failed", cause));
            });
    return out;
  }

  /**
   * Starts the grace period of {@code commonName}'s address (DISCONNECT); unknown names are
   * ignored. The record is written behind (a lost update only delays the grace period: the next
   * resync after a restart releases the name again).
   */
  public synchronized void release(String commonName) {
    Reservation r = byName.get(commonName);
    if (r == null || r.releasedAtMs != 0) {
      return;
    }
    long now = Math.max(1, clock.millis());
    r.releasedAtMs = now;
    released.add(new Released(commonName, now));
    saveInBackground(commonName, r.address, now, "routed_release_not_saved");
  }

  private void saveInBackground(String cn, int addr, long releasedAtMs, String event) {
    behind.add(() -> watch(cn, submit(cn, addr, releasedAtMs), event));
  }

  /** Submits every store write still collected (call before the store closes). */
  public void flushWrites() {
    behind.flush();
  }

  /** Logs and counts a write-behind that failed; tracks whether the store is healthy. */
  private void watch(String cn, CompletableFuture<Void> write, String event) {
    write.whenComplete(
        (v, e) -> {
          storeHealthy = e == null;
          if (e != null) {
            saveFailures.increment();
            log.error(
                "event={} instance={} cn={} error=\"{}\"",
                event,
                instance,
                cn,
                (e.getCause() != null ? e.getCause() : e).getMessage());
          }
        });
  }

  /** Written-behind saves that failed so far. */
  public long saveFailures() {
    return saveFailures.sum();
  }

  /**
   * Resync after {@code status 3}: reservations of names in {@code connected} are marked connected
   * again, connected reservations of other names start their grace period.
   */
  public synchronized void reconcile(Set<String> connected) {
    List<String> gone = new ArrayList<>();
    byName.forEach(
        (cn, r) -> {
          if (r.releasedAtMs == 0 && !connected.contains(cn)) {
            gone.add(cn);
          } else if (r.releasedAtMs != 0 && connected.contains(cn)) {
            r.releasedAtMs = 0;
            saveInBackground(cn, r.address, 0, "routed_resync_not_saved");
          }
        });
    gone.forEach(this::release);
  }

  /**
   * Adopts the address a connected client already has (from {@code status 3}) when the name has no
   * reservation; returns whether it did. OpenVPN is the truth about connected clients: a stale
   * reservation of the address for a name that is not connected (run {@link #reconcile} first), as
   * a crash can leave behind when the newer record had not been written yet, is dropped in favour
   * of the connected client. An address that is not a client address of this pool, or that a
   * connected name holds, is not adopted.
   */
  public synchronized boolean adopt(String commonName, int address) {
    if (byName.containsKey(commonName) || !isClientAddress(address)) {
      return false;
    }
    String holder = byAddress.get(address);
    if (holder != null) {
      Reservation h = byName.get(holder);
      if (h != null && h.releasedAtMs == 0) {
        log.warn(
            "event=routed_adopt_conflict instance={} cn={} ip={} held_by={}",
            instance,
            commonName,
            Ipv4.format(address),
            holder);
        return false;
      }
      byName.remove(holder);
      byAddress.remove(address);
      behind.add(() -> watch(holder, removeRecord(holder), "routed_superseded_not_removed"));
      log.warn(
          "event=routed_reservation_superseded instance={} ip={} stale_cn={} connected_cn={}",
          instance,
          Ipv4.format(address),
          holder,
          commonName);
    }
    byName.put(commonName, new Reservation(address, 0));
    byAddress.put(address, commonName);
    saveInBackground(commonName, address, 0, "routed_adopt_not_saved");
    return true;
  }

  private CompletableFuture<Void> removeRecord(String cn) {
    try {
      return store.remove(instance, cn);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The address reserved for {@code commonName} (connected or in grace), or empty. */
  public synchronized java.util.OptionalInt addressOf(String commonName) {
    Reservation r = byName.get(commonName);
    return r == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(r.address);
  }

  /** Units currently reserved (connected or in grace). */
  public synchronized int reserved() {
    return byName.size();
  }

  /** Total units of the pool. */
  public long capacity() {
    return unitCount;
  }

  private void expire(long now) {
    while (!released.isEmpty() && released.peekFirst().releasedAtMs() + graceMs <= now) {
      Released rel = released.pollFirst();
      Reservation r = byName.get(rel.commonName());
      if (r == null || r.releasedAtMs != rel.releasedAtMs()) {
        continue; // reconnected (or re-released later) since
      }
      byName.remove(rel.commonName());
      byAddress.remove(r.address);
      recycled.addLast(r.address);
      String cn = rel.commonName();
      behind.add(() -> watch(cn, removeRecord(cn), "routed_expire_not_saved"));
    }
  }

  private int take() throws PoolExhaustedException {
    while (!recycled.isEmpty()) {
      int a = recycled.pollFirst();
      if (!byAddress.containsKey(a)) {
        return a;
      }
    }
    while (nextFresh < unitCount) {
      int a = clientAddress(nextFresh++);
      if (!byAddress.containsKey(a)) {
        return a;
      }
    }
    throw new PoolExhaustedException(
        "routed pool " + pool + " exhausted (" + byName.size() + " of " + unitCount + " reserved)");
  }

  private int clientAddress(long unit) {
    long base = Ipv4.unsigned(pool.network()) + (firstUnit + unit) * unitSize;
    return (int) (topology == Topology.NET30 ? base + 2 : base);
  }

  private boolean isClientAddress(int addr) {
    if (!pool.contains(addr)) {
      return false;
    }
    long off = Ipv4.unsigned(addr) - Ipv4.unsigned(pool.network());
    if (topology == Topology.NET30) {
      if (off % 4 != 2) {
        return false;
      }
      long unit = off / 4 - firstUnit;
      return unit >= 0 && unit < unitCount;
    }
    long unit = off - firstUnit;
    return unit >= 0 && unit < unitCount;
  }

  private Allocation allocation(String cn, int addr) {
    int second =
        switch (topology) {
          case SUBNET -> pool.mask();
          case NET30 -> addr - 1;
          case P2P -> pool.network() + 1;
        };
    return new Allocation(cn, addr, second);
  }
}
