package ovpnagent.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The agent's counters and gauges under stable names ({@code dhcp4.received.discover}, {@code
 * dhcp4.drop.malformed}, {@code mgmt.reconnects}). Thread-safe, cheap on the packet path (a {@link
 * LongAdder} per name, looked up once by the caller). A snapshot feeds the status CLI and the
 * Prometheus endpoint.
 */
public final class Metrics {
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();
  private final Map<String, Histogram> histograms = new ConcurrentHashMap<>();

  /** The counter with this name, created on first use. Callers keep the returned adder. */
  public LongAdder counter(String name) {
    return counters.computeIfAbsent(name, n -> new LongAdder());
  }

  /** Adds one to a counter. */
  public void inc(String name) {
    counter(name).increment();
  }

  /** Registers (or replaces) a gauge read at snapshot time. */
  public void gauge(String name, LongSupplier value) {
    gauges.put(name, value);
  }

  /** Current value of a counter or gauge, 0 if unknown. */
  public long get(String name) {
    LongAdder a = counters.get(name);
    if (a != null) {
      return a.sum();
    }
    LongSupplier g = gauges.get(name);
    return g == null ? 0 : g.getAsLong();
  }

  /** All counters and gauges, sorted by name. A failing gauge reads as -1. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    gauges.forEach(
        (k, v) -> {
          long x;
          try {
            x = v.getAsLong();
          } catch (RuntimeException e) {
            x = -1;
          }
          out.put(k, x);
        });
    return out;
  }

  /** True if {@code name} is a counter (monotonic), false for gauges and unknown names. */
  public boolean isCounter(String name) {
    return counters.containsKey(name);
  }

  /** The latency histogram with this name and the default buckets, created on first use. */
  public Histogram histogram(String name) {
    return histograms.computeIfAbsent(name, n -> new Histogram());
  }

  /** The histogram with this name, created on first use with these bounds (ms, ascending). */
  public Histogram histogram(String name, long... boundsMs) {
    return histograms.computeIfAbsent(name, n -> new Histogram(boundsMs));
  }

  /** All histograms, sorted by name (live objects; take their snapshots to read). */
  public Map<String, Histogram> histograms() {
    return new TreeMap<>(histograms);
  }
}
