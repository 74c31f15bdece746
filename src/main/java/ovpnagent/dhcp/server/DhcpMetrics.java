package ovpnagent.dhcp.server;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.metrics.Metrics;

/**
 * The server's counters, looked up once: {@code dhcp4.received.<type>}, {@code dhcp4.sent.<type>},
 * {@code dhcp4.drop.<reason>} and totals (names mirror Kea's pkt4-* list, dhcp.md §5).
 */
public final class DhcpMetrics {
  private final Metrics metrics;
  private final LongAdder receivedTotal;
  private final LongAdder sentTotal;
  private final LongAdder dropTotal;
  private final LongAdder[] received = new LongAdder[MessageType.values().length];
  private final LongAdder[] sent = new LongAdder[MessageType.values().length];
  private final LongAdder[] drops = new LongAdder[DropReason.values().length];
  private final LongAdder receivedUnknown;
  private final LongAdder declined;
  private final LongAdder reclaimed;
  private final LongAdder reclaimedDeclined;

  /** Registers the counters in {@code metrics}. */
  public DhcpMetrics(Metrics metrics) {
    this.metrics = metrics;
    receivedTotal = metrics.counter("dhcp4.received.total");
    sentTotal = metrics.counter("dhcp4.sent.total");
    dropTotal = metrics.counter("dhcp4.drop.total");
    for (MessageType t : MessageType.values()) {
      String n = t.name().toLowerCase(Locale.ROOT);
      received[t.ordinal()] = metrics.counter("dhcp4.received." + n);
      sent[t.ordinal()] = metrics.counter("dhcp4.sent." + n);
    }
    for (DropReason r : DropReason.values()) {
      drops[r.ordinal()] = metrics.counter(r.metricName());
    }
    receivedUnknown = metrics.counter("dhcp4.received.unknown");
    declined = metrics.counter("dhcp4.declined");
    reclaimed = metrics.counter("dhcp4.reclaimed");
    reclaimedDeclined = metrics.counter("dhcp4.reclaimed.declined");
  }

  /** The registry these counters live in. */
  public Metrics registry() {
    return metrics;
  }

  void received() {
    receivedTotal.increment();
  }

  void receivedUnknown() {
    receivedUnknown.increment();
  }

  void received(MessageType t) {
    received[t.ordinal()].increment();
  }

  void sent(MessageType t) {
    sentTotal.increment();
    sent[t.ordinal()].increment();
  }

  void drop(DropReason r) {
    dropTotal.increment();
    drops[r.ordinal()].increment();
  }

  void declined() {
    declined.increment();
  }

  void reclaimed(boolean wasDeclined) {
    (wasDeclined ? reclaimedDeclined : reclaimed).increment();
  }

  /** Drops so far by reason. */
  public Map<DropReason, Long> dropCounts() {
    Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      m.put(r, drops[r.ordinal()].sum());
    }
    return m;
  }

  /** Drops so far for one reason. */
  public long drops(DropReason r) {
    return drops[r.ordinal()].sum();
  }

  /** Packets received so far (including bogus ones). */
  public long receivedTotal() {
    return receivedTotal.sum();
  }

  /** Replies sent so far of one type. */
  public long sentCount(MessageType t) {
    return sent[t.ordinal()].sum();
  }
}
