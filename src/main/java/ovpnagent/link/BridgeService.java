package ovpnagent.link;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.boot.Service;
import ovpnagent.config.BridgeConfig;
import ovpnagent.metrics.Metrics;

/**
 * The boot service of one bridge ({@code link:<bridge>}): start converges the bridge, TAPs and LAN
 * ports, then starts the {@link LinkMonitor}; close stops the monitor and never tears down.
 */
public final class BridgeService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeService.class);
  private final BridgeConvergence plan;
  private final LinkOpener opener;
  private final ThreadFactory threads;
  private volatile LinkManager links;
  private volatile LinkMonitor monitor;
  private volatile List<String> actions = List.of();

  /** Opens a {@link LinkManager}; called on the thread that starts the service. */
  @FunctionalInterface
  public interface LinkOpener {
    /** Opens the link manager. */
    LinkManager open() throws IOException;
  }

  /** Creates the service; nothing is opened before {@link #start()}. */
  public BridgeService(BridgeConvergence plan, LinkOpener opener, ThreadFactory threads) {
    this.plan = plan;
    this.opener = opener;
    this.threads = threads;
  }

  /**
   * The production service: rtnetlink in the agent's namespace, TAPs of bridged instances only;
   * registers the gauges {@code link.tap_repairs} and {@code link.monitor_errors}.
   */
  public static BridgeService forConfig(
      BridgeConfig bridge, List<String> bridgedTaps, Metrics metrics) {
    BridgeService s =
        new BridgeService(
            BridgeConvergence.of(bridge, bridgedTaps),
            NetlinkLinkManager::open,
            Executors.defaultThreadFactory());
    metrics.gauge("link.tap_repairs", () -> s.monitorCount(LinkMonitor::repairs));
    metrics.gauge("link.monitor_errors", () -> s.monitorCount(LinkMonitor::errors));
    return s;
  }

  private long monitorCount(ToLongFunction<LinkMonitor> f) {
    LinkMonitor m = monitor;
    return m == null ? 0 : f.applyAsLong(m);
  }

  @Override
  public String name() {
    return "link:" + plan.bridge();
  }

  @Override
  public synchronized void start() throws IOException {
    links = opener.open();
    long t0 = System.nanoTime();
    actions = List.copyOf(plan.converge(links));
    LOG.info(
        "event=bridge_converged bridge={} actions={} ms={} steps=\"{}\"",
        plan.bridge(),
        actions.size(),
        (System.nanoTime() - t0) / 1_000_000,
        actions);
    monitor = new LinkMonitor(links, plan, threads);
    monitor.start();
  }

  /** The link manager (for neighbour entries from the DHCP server); null before start. */
  public LinkManager links() {
    return links;
  }

  /** The actions the last start took (empty when the bridge was already converged). */
  public List<String> actions() {
    return actions;
  }

  /** The running monitor, or null. */
  public LinkMonitor monitor() {
    return monitor;
  }

  @Override
  public synchronized void close() {
    if (monitor != null) {
      monitor.close();
      monitor = null;
    }
    if (links != null) {
      links.close();
      links = null;
    }
  }
}
