package ovpnagent.sites;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.util.HwAddr;

/**
 * Finds the router of a MAC the {@link MacRouterMap} does not know yet (openvpn.md §1 fact 10:
 * OpenVPN learns the MAC before the frame reaches the bridge, so {@code status 3} lists it): asks
 * every registered instance once ({@link RoutesQuery}), feeds the answers to the map and completes
 * the waiters. Concurrent misses share one in-flight round; a miss that arrived after the round was
 * sent and is still unresolved starts one more round. Every wait ends within {@code maxWait}
 * (completing with null). Thread-safe.
 */
public final class RouterResolver {
  private static final Logger log = LoggerFactory.getLogger(RouterResolver.class);

  /**
   * One wait; {@code fresh}: only a round started after it arrived (or a learn event) answers it.
   */
  private record Waiter(
      HwAddr mac, long arrivedNanos, boolean fresh, CompletableFuture<String> result) {}

  private final MacRouterMap map;
  private final ScheduledExecutorService scheduler;
  private final Duration maxWait;
  private final Map<String, RoutesQuery> queries = new ConcurrentHashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private boolean inFlight;
  private long roundStartNanos;
  private final LongAdder rounds = new LongAdder();
  private final LongAdder resolved = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder queryFailures = new LongAdder();

  /** A resolver updating {@code map}; waits end after {@code maxWait}. */
  public RouterResolver(MacRouterMap map, ScheduledExecutorService scheduler, Duration maxWait) {
    this.map = map;
    this.scheduler = scheduler;
    this.maxWait = maxWait;
    map.addListener((mac, router) -> learned(mac));
  }

  /** Registers (or replaces) the query of one bridged instance. */
  public void register(String instance, RoutesQuery query) {
    queries.put(instance, query);
  }

  /** Removes an instance's query. */
  public void unregister(String instance) {
    queries.remove(instance);
  }

  /** The registered instances. */
  public List<String> instances() {
    return new ArrayList<>(queries.keySet());
  }

  /**
   * The router of {@code mac}: at once if the map knows it, else after a {@code status 3} round;
   * completes with null if it is still unknown after {@code maxWait} (never fails).
   */
  public CompletableFuture<String> resolve(HwAddr mac) {
    String known = map.routerOf(mac);
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    return await(mac, false);
  }

  /**
   * Re-checks the router of a MAC the map may know from long ago (the device may have moved and the
   * learn-address hook's update may still be on its way): answered by a {@code status 3} round sent
   * after this call, or by a learn event; after {@code maxWait} (or if every query failed) the
   * map's current answer, possibly null. Concurrent calls share rounds.
   */
  public CompletableFuture<String> refresh(HwAddr mac) {
    return await(mac, true);
  }

  private CompletableFuture<String> await(HwAddr mac, boolean fresh) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Waiter w = new Waiter(mac, System.nanoTime(), fresh, f);
    boolean start;
    synchronized (this) {
      waiters.add(w);
      start = !inFlight;
      if (start) {
        inFlight = true;
        roundStartNanos = System.nanoTime();
      }
    }
    scheduler.schedule(() -> expire(w), maxWait.toNanos(), TimeUnit.NANOSECONDS);
    // The MAC may have been learned between the first look and the registration.
    String again = fresh ? null : map.routerOf(mac);
    if (again != null) {
      complete(w, again);
    }
    if (start) {
      runRound();
    }
    return f;
  }

  /**
   * Runs one round without waiters (the slow periodic resync); the returned future completes when
   * every instance answered or failed.
   */
  public CompletableFuture<Void> resyncAll() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    queries.forEach((instance, q) -> all.add(queryOne(instance, q)));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  private void runRound() {
    rounds.increment();
    resyncAll().whenCompleteAsync((v, err) -> roundDone(), scheduler);
  }

  private CompletableFuture<Void> queryOne(String instance, RoutesQuery q) {
    CompletableFuture<Map<HwAddr, String>> f;
    try {
      f = q.query();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.orTimeout(maxWait.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (rows, err) -> {
              if (err != null) {
                queryFailures.increment();
                log.warn(
                    "event=router_resolve_query_failed instance={} error=\"{}\"",
                    instance,
                    err.toString());
              } else {
                int changes = map.resync(instance, rows);
                log.debug(
                    "event=router_resolve_resync instance={} macs={} changes={}",
                    instance,
                    rows.size(),
                    changes);
              }
              return null;
            });
  }

  private void roundDone() {
    List<Waiter> done = new ArrayList<>();
    boolean again = false;
    synchronized (this) {
      long started = roundStartNanos;
      for (Waiter w : waiters) {
        boolean late = w.arrivedNanos() - started > 0;
        String r = map.routerOf(w.mac());
        if (r != null && !(w.fresh() && late)) {
          done.add(w);
        } else if (late) {
          again = true;
        }
      }
      inFlight = again && !waiters.isEmpty();
      if (inFlight) {
        roundStartNanos = System.nanoTime();
      }
      again = inFlight;
    }
    for (Waiter w : done) {
      String r = map.routerOf(w.mac());
      if (r != null) {
        complete(w, r);
      } else {
        unknown(w);
      }
    }
    if (again) {
      runRound();
    }
  }

  private void learned(HwAddr mac) {
    List<Waiter> hit = new ArrayList<>();
    synchronized (this) {
      for (Waiter w : waiters) {
        if (w.mac().equals(mac)) {
          hit.add(w);
        }
      }
    }
    for (Waiter w : hit) {
      String r = map.routerOf(mac);
      if (r != null) {
        complete(w, r);
      }
    }
  }

  private void complete(Waiter w, String router) {
    synchronized (this) {
      waiters.remove(w);
    }
    // Count before completing, so a caller woken by the result sees the counter already moved.
    resolved.increment();
    if (!w.result().complete(router)) {
      resolved.decrement();
    }
  }

  private void unknown(Waiter w) {
    synchronized (this) {
      waiters.remove(w);
    }
    timeouts.increment();
    if (!w.result().complete(null)) {
      timeouts.decrement();
    }
  }

  private void expire(Waiter w) {
    synchronized (this) {
      waiters.remove(w);
    }
    String r = map.routerOf(w.mac());
    if (r != null) {
      complete(w, r);
      return;
    }
    timeouts.increment();
    if (w.result().complete(null)) {
      log.info("event=router_resolve_timeout mac={} wait_ms={}", w.mac(), maxWait.toMillis());
    } else {
      timeouts.decrement();
    }
  }

  /** Counters for status: rounds, resolved, timeouts, query failures, waiting now. */
  public synchronized Stats stats() {
    return new Stats(
        rounds.sum(), resolved.sum(), timeouts.sum(), queryFailures.sum(), waiters.size());
  }

  /** Resolver counters. */
  public record Stats(long rounds, long resolved, long timeouts, long queryFailures, int waiting) {}

  /** An executor that runs tasks on the resolver's scheduler (for callers chaining on results). */
  Executor executor() {
    return scheduler;
  }
}
