package ovpnagent.sites;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.store.MappingStore;
import ovpnagent.util.HwAddr;

/**
 * The in-memory MAC → router (common name) map of the bridged instances, written through to the
 * {@link MappingStore} (writes are not waited for; a failure is logged and counted). Three feeds:
 * {@link #learn}/{@link #forget} (the learn-address hook), {@link #resync} (a {@code status 3}
 * ROUTING_TABLE of one instance replaces that instance's MACs) and {@link #routerGone}. Listeners
 * hear every MAC that gets (or changes) its router. Thread-safe.
 */
public final class MacRouterMap {
  private static final Logger log = LoggerFactory.getLogger(MacRouterMap.class);

  /**
   * Where a MAC sits.
   *
   * @param router the common name
   * @param instance the OpenVPN instance that reported it, or null (loaded from the store, or a
   *     hook call without instance)
   * @param learnedNanos {@link System#nanoTime()} when this router was learned for the MAC
   */
  public record Entry(String router, String instance, long learnedNanos) {
    /** An entry learned now. */
    Entry(String router, String instance) {
      this(router, instance, System.nanoTime());
    }
  }

  private final ConcurrentHashMap<HwAddr, Entry> map = new ConcurrentHashMap<>();
  private final MappingStore store;
  private final LongSupplier clock;
  private final List<BiConsumer<HwAddr, String>> listeners = new CopyOnWriteArrayList<>();
  private final Object writeLock = new Object();
  private final java.util.concurrent.atomic.LongAdder storeErrors =
      new java.util.concurrent.atomic.LongAdder();

  /** A map writing through to {@code store}; {@code clock} gives epoch ms for "seen at". */
  public MacRouterMap(MappingStore store, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Loads the stored map (at start); entries learned meanwhile win. Returns how many loaded. */
  public int load() {
    int n = 0;
    for (Map.Entry<HwAddr, String> e : store.loadAll().entrySet()) {
      if (map.putIfAbsent(e.getKey(), new Entry(e.getValue(), null)) == null) {
        n++;
      }
    }
    return n;
  }

  /** Adds a listener called with (mac, router) whenever a MAC gets or changes its router. */
  public void addListener(BiConsumer<HwAddr, String> listener) {
    listeners.add(listener);
  }

  /** The router of {@code mac}, or null. */
  public String routerOf(HwAddr mac) {
    Entry e = map.get(mac);
    return e == null ? null : e.router();
  }

  /** Where {@code mac} sits, or null. */
  public Entry entryOf(HwAddr mac) {
    return map.get(mac);
  }

  /**
   * learn-address add/update: {@code mac} is behind {@code router}. True if that changed the map.
   */
  public boolean learn(HwAddr mac, String router, String instance) {
    Objects.requireNonNull(router, "router");
    boolean changed;
    synchronized (writeLock) {
      Entry old = map.get(mac);
      changed = old == null || !old.router().equals(router);
      map.put(
          mac,
          changed ? new Entry(router, instance) : new Entry(router, instance, old.learnedNanos()));
      if (changed) {
        persist(store.put(mac, router, clock.getAsLong()), "put");
      }
    }
    if (changed) {
      notifyLearned(mac, router);
    }
    return changed;
  }

  /** learn-address delete: forgets {@code mac}. True if it was known. */
  public boolean forget(HwAddr mac) {
    synchronized (writeLock) {
      if (map.remove(mac) == null) {
        return false;
      }
      persist(store.remove(mac), "remove");
      return true;
    }
  }

  /**
   * A full ROUTING_TABLE of {@code instance} ({@code status 3}): its MAC rows replace every entry
   * of that instance (and entries of unknown origin not listed). Returns the number of changes.
   */
  public int resync(String instance, Map<HwAddr, String> rows) {
    List<Map.Entry<HwAddr, String>> learned = new ArrayList<>();
    int changes = 0;
    synchronized (writeLock) {
      for (Map.Entry<HwAddr, Entry> e : new ArrayList<>(map.entrySet())) {
        Entry v = e.getValue();
        boolean ours = v.instance() == null || v.instance().equals(instance);
        if (ours && !rows.containsKey(e.getKey())) {
          map.remove(e.getKey(), v);
          persist(store.remove(e.getKey()), "remove");
          changes++;
        }
      }
      for (Map.Entry<HwAddr, String> r : rows.entrySet()) {
        Entry old = map.get(r.getKey());
        boolean moved = old == null || !old.router().equals(r.getValue());
        map.put(
            r.getKey(),
            moved
                ? new Entry(r.getValue(), instance)
                : new Entry(r.getValue(), instance, old.learnedNanos()));
        if (moved) {
          persist(store.put(r.getKey(), r.getValue(), clock.getAsLong()), "put");
          learned.add(r);
          changes++;
        }
      }
    }
    for (Map.Entry<HwAddr, String> r : learned) {
      notifyLearned(r.getKey(), r.getValue());
    }
    return changes;
  }

  /** A router disconnected: forgets every MAC behind it. Returns how many. */
  public int routerGone(String router) {
    int n = 0;
    synchronized (writeLock) {
      for (Map.Entry<HwAddr, Entry> e : new ArrayList<>(map.entrySet())) {
        if (e.getValue().router().equals(router) && map.remove(e.getKey(), e.getValue())) {
          n++;
        }
      }
      persist(store.removeRouter(router), "remove_router");
    }
    return n;
  }

  /** Number of MACs per router. */
  public Map<String, Integer> countsByRouter() {
    Map<String, Integer> out = new HashMap<>();
    map.values().forEach(e -> out.merge(e.router(), 1, Integer::sum));
    return out;
  }

  /** Every router with at least one MAC. */
  public Set<String> routers() {
    Set<String> s = new HashSet<>();
    map.values().forEach(e -> s.add(e.router()));
    return s;
  }

  /** A copy of the map. */
  public Map<HwAddr, Entry> snapshot() {
    return new HashMap<>(map);
  }

  /** Number of MACs. */
  public int size() {
    return map.size();
  }

  /** Store writes that failed so far. */
  public long storeErrors() {
    return storeErrors.sum();
  }

  private void notifyLearned(HwAddr mac, String router) {
    for (BiConsumer<HwAddr, String> l : listeners) {
      try {
        l.accept(mac, router);
      } catch (RuntimeException e) {
        log.error("event=mac_router_listener_failed mac={} router={}", mac, router, e);
      }
    }
  }

  private void persist(CompletableFuture<Void> write, String op) {
    write.whenComplete(
        (v, err) -> {
          if (err != null) {
            storeErrors.increment();
            log.warn("event=mac_router_store_failed op={} error=\"{}\"", op, err.getMessage());
          }
        });
  }
}
