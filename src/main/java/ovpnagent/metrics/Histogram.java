package ovpnagent.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram with fixed bucket upper bounds in milliseconds (plus an implicit +Inf
 * bucket), thread-safe and allocation-free on {@link #record}. Rendered as a Prometheus histogram
 * by {@link PrometheusRenderer}; {@link Snapshot#quantile} estimates p50/p99 by linear
 * interpolation inside the bucket, like Prometheus' {@code histogram_quantile}.
 */
public final class Histogram {
  /** Default bounds (ms): 1 ms to 10 s, suited to CONNECT-to-auth and lease-commit latency. */
  public static final long[] DEFAULT_BOUNDS_MS = {
    1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000
  };

  private final long[] bounds;
  private final LongAdder[] buckets;
  private final LongAdder sumNanos = new LongAdder();

  /** A histogram with {@link #DEFAULT_BOUNDS_MS}. */
  public Histogram() {
    this(DEFAULT_BOUNDS_MS);
  }

  /**
   * A histogram with these bucket upper bounds in ms.
   *
   * @throws IllegalArgumentException if the bounds are empty, negative or not strictly ascending
   */
  public Histogram(long... boundsMs) {
    if (boundsMs.length == 0) {
      throw new IllegalArgumentException("histogram needs at least one bucket bound");
    }
    for (int i = 0; i < boundsMs.length; i++) {
      if (boundsMs[i] < 0 || (i > 0 && boundsMs[i] <= boundsMs[i - 1])) {
        throw new IllegalArgumentException(
            "histogram bounds must be >= 0 and strictly ascending: " + Arrays.toString(boundsMs));
      }
    }
    this.bounds = boundsMs.clone();
    this.buckets = new LongAdder[bounds.length + 1];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** Records one observation given in nanoseconds (negative values count as 0). */
  public void recordNanos(long nanos) {
    long n = Math.max(0, nanos);
    sumNanos.add(n);
    // a value v falls in the first bucket whose bound b satisfies v <= b (Prometheus "le")
    int i = 0;
    while (i < bounds.length && n > bounds[i] * 1_000_000L) {
      i++;
    }
    buckets[i].increment();
  }

  /** Records one observation in milliseconds. */
  public void recordMillis(long ms) {
    recordNanos(ms * 1_000_000L);
  }

  /** Records one observation. */
  public void record(Duration d) {
    recordNanos(d.toNanos());
  }

  /** Records the time elapsed since {@code startNanos}, a {@link System#nanoTime()} reading. */
  public void recordSince(long startNanos) {
    recordNanos(System.nanoTime() - startNanos);
  }

  /** A consistent-enough copy of the counts (each bucket read once). */
  public Snapshot snapshot() {
    List<Long> counts = new ArrayList<>(buckets.length);
    for (LongAdder b : buckets) {
      counts.add(b.sum());
    }
    List<Long> bs = new ArrayList<>(bounds.length);
    for (long b : bounds) {
      bs.add(b);
    }
    return new Snapshot(bs, counts, sumNanos.sum() / 1e6);
  }

  /** Median estimate in ms, NaN if empty. */
  public double p50() {
    return snapshot().quantile(0.5);
  }

  /** 99th percentile estimate in ms, NaN if empty. */
  public double p99() {
    return snapshot().quantile(0.99);
  }

  /**
   * Counts at one moment.
   *
   * @param boundsMs bucket upper bounds in ms (the +Inf bucket is implicit)
   * @param counts per-bucket counts (not cumulative), one more than {@code boundsMs}: the last is
   *     the +Inf bucket
   * @param sumMs sum of all observations in ms
   */
  public record Snapshot(List<Long> boundsMs, List<Long> counts, double sumMs) {
    public Snapshot {
      boundsMs = List.copyOf(boundsMs);
      counts = List.copyOf(counts);
      if (counts.size() != boundsMs.size() + 1) {
        throw new IllegalArgumentException("counts must have one entry per bound plus +Inf");
      }
    }

    /** Total number of observations (equals the +Inf cumulative count). */
    public long count() {
      long c = 0;
      for (long x : counts) {
        c += x;
      }
      return c;
    }

    /** Cumulative count of observations {@code <= boundsMs.get(i)} ({@code i == size} is +Inf). */
    public long cumulative(int i) {
      long c = 0;
      for (int j = 0; j <= i; j++) {
        c += counts.get(j);
      }
      return c;
    }

    /**
     * Estimates the q-quantile in ms by linear interpolation inside the bucket that holds it; an
     * estimate in the +Inf bucket returns the highest finite bound. NaN when there are no
     * observations.
     *
     * @throws IllegalArgumentException if q is outside [0, 1]
     */
    public double quantile(double q) {
      if (!(q >= 0 && q <= 1)) {
        throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
      }
      long total = count();
      if (total == 0) {
        return Double.NaN;
      }
      double rank = q * total;
      long before = 0;
      for (int i = 0; i < counts.size(); i++) {
        long in = counts.get(i);
        if (in > 0 && before + in >= rank) {
          if (i == boundsMs.size()) {
            return boundsMs.get(boundsMs.size() - 1);
          }
          double lower = i == 0 ? 0 : boundsMs.get(i - 1);
          double upper = boundsMs.get(i);
          return lower + (upper - lower) * Math.max(0, rank - before) / in;
        }
        before += in;
      }
      return boundsMs.get(boundsMs.size() - 1);
    }
  }
}
