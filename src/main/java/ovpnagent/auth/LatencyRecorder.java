package ovpnagent.auth;

import java.util.Arrays;

/**
 * A fixed-size reservoir of the most recent latency samples (nanoseconds) for p50/p99 reporting.
 */
public final class LatencyRecorder {
  private final long[] samples;
  private long count;

  /** A reservoir keeping the last {@code capacity} samples. */
  public LatencyRecorder(int capacity) {
    this.samples = new long[capacity];
  }

  /** Records one sample. */
  public synchronized void record(long nanos) {
    samples[(int) (count % samples.length)] = nanos;
    count++;
  }

  /** Forgets every sample (e.g. after a warm-up). */
  public synchronized void reset() {
    count = 0;
  }

  /** Number of samples recorded in total. */
  public synchronized long count() {
    return count;
  }

  /** The {@code p}-quantile (0..1) of the kept samples in nanoseconds, or 0 without samples. */
  public synchronized long percentile(double p) {
    int n = (int) Math.min(count, samples.length);
    if (n == 0) {
      return 0;
    }
    long[] copy = Arrays.copyOf(samples, n);
    Arrays.sort(copy);
    int idx = (int) Math.ceil(p * n) - 1;
    return copy[Math.max(0, Math.min(n - 1, idx))];
  }
}
