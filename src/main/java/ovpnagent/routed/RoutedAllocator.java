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
 * name: saved in the {@link RoutedAddressStore} before it is returned (so it survives agent
 * restarts), kept while the client is connected and for {@code grace} after its DISCONNECT, then
 * reused. Free units come from a queue of recycled units and a never-used cursor: no scan per
 * allocation. Thread-safe.
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

  /**
   * Creates the allocator and loads the instance's saved addresses.
   *
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
      Duration storeTimeout) {
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
   * The address of {@code commonName}: its reservation if it has one, else a free unit, saved
   * durably before it is returned.
   *
   * @throws PoolExhaustedException if no unit is free
   * @throws StoreException if the store does not confirm the write in time
   */
  public synchronized Allocation allocate(String commonName) throws PoolExhaustedException {
    Reservation r = byName.get(commonName);
    if (r != null) {
      if (r.releasedAtMs != 0) {
        persist(commonName, r.address, 0);
        r.releasedAtMs = 0;
      }
      return allocation(commonName, r.address);
    }
    expire(clock.millis());
    int addr = take();
    try {
      persist(commonName, addr, 0);
    } catch (StoreException e) {
      recycled.addFirst(addr);
      throw e;
    }
    byName.put(commonName, new Reservation(addr, 0));
    byAddress.put(addr, commonName);
    return allocation(commonName, addr);
  }

  /**
   * Starts the grace period of {@code commonName}'s address (DISCONNECT); unknown names are
   * ignored.
   */
  public synchronized void release(String commonName) {
    Reservation r = byName.get(commonName);
    if (r == null || r.releasedAtMs != 0) {
      return;
    }
    long now = Math.max(1, clock.millis());
    r.releasedAtMs = now;
    released.add(new Released(commonName, now));
    try {
      persist(commonName, r.address, now);
    } catch (StoreException e) {
      log.warn(
          "event=routed_release_not_saved instance={} cn={} error=\"{}\"",
          instance,
          commonName,
          e.getMessage());
    }
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
            try {
              persist(cn, r.address, 0);
              r.releasedAtMs = 0;
            } catch (StoreException e) {
              log.warn("event=routed_resync_not_saved instance={} cn={}", instance, cn);
            }
          }
        });
    gone.forEach(this::release);
  }

  /**
   * Adopts the address a connected client already has (from {@code status 3}) when the name has no
   * reservation and the address is a free client address of this pool; returns whether it did.
   */
  public synchronized boolean adopt(String commonName, int address) {
    if (byName.containsKey(commonName)
        || !isClientAddress(address)
        || byAddress.containsKey(address)) {
      return false;
    }
    try {
      persist(commonName, address, 0);
    } catch (StoreException e) {
      log.warn("event=routed_adopt_not_saved instance={} cn={}", instance, commonName);
      return false;
    }
    byName.put(commonName, new Reservation(address, 0));
    byAddress.put(address, commonName);
    return true;
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
      store
          .remove(instance, rel.commonName())
          .exceptionally(
              e -> {
                log.warn(
                    "event=routed_expire_not_saved instance={} cn={} error=\"{}\"",
                    instance,
                    rel.commonName(),
                    e.getMessage());
                return null;
              });
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

  private void persist(String cn, int addr, long releasedAtMs) {
    try {
      store
          .save(new RoutedAddress(instance, cn, addr, releasedAtMs))
          .get(storeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while saving routed address of " + cn, e);
    } catch (ExecutionException e) {
      throw new StoreException("saving routed address of " + cn + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new StoreException(
          "saving routed address of " + cn + " took over " + storeTimeout.toMillis() + " ms", e);
    } catch (RuntimeException e) {
      throw new StoreException("saving routed address of " + cn + " failed", e);
    }
  }
}
