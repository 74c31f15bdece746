package ovpnagent.dhcp.server;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.store.LeaseState;

/**
 * Reclaims ended leases on a schedule (dhcp.md §3 "Reclamation"): expired BOUND leases become
 * EXPIRED (reusable, remembered for affinity, persisted), ended offers are freed, ended probation
 * frees the address (deleted from the store). Works from the index's expiry queue in batches, never
 * scanning. Each run is wrapped in a catch-all so the schedule never dies (style.md practice 12).
 */
public final class LeaseReaper implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
  private static final int BATCH = 1000;
  private final LeaseAllocator allocator;
  private final ClientTracker tracker;
  private final ServerContext ctx;
  private final Clock clock;
  private long lastWall = Long.MIN_VALUE;
  private long lastNanos;

  LeaseReaper(LeaseAllocator allocator, ClientTracker tracker, ServerContext ctx, Clock clock) {
    this.allocator = allocator;
    this.tracker = tracker;
    this.ctx = ctx;
    this.clock = clock;
  }

  /** Schedules {@link #run} every {@code every} on {@code scheduler}. */
  ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration every) {
    long ms = Math.max(1, every.toMillis());
    return scheduler.scheduleWithFixedDelay(this, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      runOnce();
    } catch (Throwable t) {
      log.error("event=dhcp_reaper_failed error=\"{}\"", t.toString(), t);
    }
  }

  /** One reclamation pass; returns how many leases changed. */
  public synchronized int runOnce() {
    long now = clock.millis();
    checkClock(now);
    int total = 0;
    while (true) {
      List<LeaseAllocator.Reclaimed> batch = allocator.reclaim(now, BATCH);
      for (LeaseAllocator.Reclaimed r : batch) {
        if (r.lease() == null) {
          ctx.metrics.reclaimed(true);
          try {
            ctx.store
                .delete(r.ip())
                .whenComplete(
                    (v, err) -> {
                      if (err != null) {
                        ctx.storeError(r.ip(), err);
                      }
                    });
          } catch (RuntimeException e) {
            ctx.storeError(r.ip(), e);
          }
        } else if (r.from() == LeaseState.BOUND) {
          ctx.metrics.reclaimed(false);
          ctx.persistQuietly(r.lease());
        }
      }
      total += batch.size();
      if (batch.size() < BATCH) {
        break;
      }
    }
    tracker.expire(now);
    if (total > 0) {
      log.debug("event=dhcp_reclaimed count={}", total);
    }
    return total;
  }

  private void checkClock(long now) {
    long nanos = System.nanoTime();
    if (lastWall != Long.MIN_VALUE) {
      long wallDelta = now - lastWall;
      long monoDelta = (nanos - lastNanos) / 1_000_000;
      if (wallDelta < 0 || Math.abs(wallDelta - monoDelta) > 60_000) {
        log.warn(
            "event=dhcp_clock_jump wall_delta_ms={} monotonic_delta_ms={}", wallDelta, monoDelta);
      }
    }
    lastWall = now;
    lastNanos = nanos;
  }
}
