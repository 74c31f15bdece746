package ovpnagent.boot;

import ovpnagent.metrics.Metrics;
import ovpnagent.store.H2Store;
import ovpnagent.store.StoreStats;

/** Opens the H2 store first and closes it last, so every queued write is committed at shutdown. */
final class StoreService implements Service {
  private final String url;
  private final Metrics metrics;
  private volatile H2Store store;

  StoreService(String url, Metrics metrics) {
    this.url = url;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "store";
  }

  @Override
  public void start() {
    H2Store s = H2Store.open(url);
    store = s;
    metrics.gauge("store.commits", () -> stats().commits());
    metrics.gauge("store.changes", () -> stats().changes());
    metrics.gauge("store.failed_commits", () -> stats().failedCommits());
    metrics.gauge("store.rejected", () -> stats().rejected());
    metrics.gauge("store.queue_depth", () -> stats().queueDepth());
  }

  private StoreStats stats() {
    return store.stats();
  }

  /** The open store; only valid after {@link #start()}. */
  H2Store store() {
    H2Store s = store;
    if (s == null) {
      throw new IllegalStateException("store not started");
    }
    return s;
  }

  @Override
  public void close() {
    H2Store s = store;
    if (s != null) {
      s.close();
    }
  }
}
