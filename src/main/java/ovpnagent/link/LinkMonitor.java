package ovpnagent.link;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.link.netlink.LinkMessage;
import ovpnagent.link.netlink.NetlinkException;
import ovpnagent.link.netlink.NetlinkSocket;
import ovpnagent.link.netlink.NlMessage;
import ovpnagent.link.netlink.Rtnl;

/**
 * Watches link notifications (RTMGRP_LINK) and re-enslaves a managed TAP that (re)appeared without
 * the bridge as master, as after an OpenVPN SIGHUP, within a second. Lost notifications (ENOBUFS)
 * and a slow timer trigger a full resync of the TAPs. The loop logs and counts every failure and
 * keeps running until {@link #close()}.
 */
public final class LinkMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LinkMonitor.class);
  private static final int TICK_MS = 250;
  private static final long RESYNC_NANOS = TimeUnit.SECONDS.toNanos(30);
  private final LinkManager links;
  private final BridgeConvergence plan;
  private final ThreadFactory threads;
  private final AtomicLong repairs = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean running;
  private NetlinkSocket socket;
  private Thread thread;

  /**
   * Creates a monitor; {@code threads} makes the loop thread (which must be in the same network
   * namespace as {@code links}, since proxy ARP is a per-namespace sysctl).
   */
  public LinkMonitor(LinkManager links, BridgeConvergence plan, ThreadFactory threads) {
    this.links = links;
    this.plan = plan;
    this.threads = threads;
  }

  /** Opens the notification socket in the caller's network namespace and starts the loop. */
  public synchronized void start() throws IOException {
    socket = NetlinkSocket.open(Rtnl.RTMGRP_LINK, TICK_MS);
    running = true;
    thread = threads.newThread(this::loop);
    thread.setName("link-monitor-" + plan.bridge());
    thread.setDaemon(true);
    thread.start();
    LOG.info("event=link_monitor_started bridge={} taps={}", plan.bridge(), plan.taps());
  }

  /** Number of times a TAP was repaired (re-enslaved or set up). */
  public long repairs() {
    return repairs.get();
  }

  /** Number of failures the loop survived. */
  public long errors() {
    return errors.get();
  }

  private void loop() {
    long lastResync = System.nanoTime();
    while (running) {
      try {
        List<NlMessage> batch;
        try {
          batch = socket.receive();
        } catch (NetlinkException e) {
          if (e.errno() != Rtnl.ENOBUFS) {
            throw e;
          }
          LOG.warn("event=link_monitor_overrun bridge={} action=resync", plan.bridge());
          resync();
          continue;
        }
        for (NlMessage m : batch) {
          if (m.type() == Rtnl.RTM_NEWLINK || m.type() == Rtnl.RTM_DELLINK) {
            handle(LinkMessage.parse(m));
          }
        }
        if (System.nanoTime() - lastResync > RESYNC_NANOS) {
          lastResync = System.nanoTime();
          resync();
        }
      } catch (Exception | Error e) {
        if (!running) {
          break;
        }
        errors.incrementAndGet();
        LOG.error("event=link_monitor_error bridge={} reason=\"{}\"", plan.bridge(), e.toString());
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }
    LOG.info("event=link_monitor_stopped bridge={}", plan.bridge());
  }

  /** Handles one notification; a TAP that vanished meanwhile (being deleted) is not an error. */
  private void handle(LinkMessage m) {
    try {
      onLink(m);
    } catch (IOException | RuntimeException e) {
      try {
        if (links.link(m.name()).isEmpty()) {
          LOG.debug("event=link_monitor_vanished dev={}", m.name());
          return;
        }
      } catch (IOException | RuntimeException again) {
        e.addSuppressed(again);
      }
      errors.incrementAndGet();
      LOG.error(
          "event=link_monitor_repair_failed dev={} bridge={} reason=\"{}\"",
          m.name(),
          plan.bridge(),
          e.toString());
    }
  }

  /**
   * Handles one RTM_NEWLINK: repairs the link if it is a managed TAP not attached to the bridge.
   */
  void onLink(LinkMessage m) throws IOException {
    if (m.name() == null || !plan.taps().contains(m.name())) {
      return;
    }
    if (m.deleted()) {
      LOG.info("event=tap_removed tap={} bridge={} action=wait", m.name(), plan.bridge());
      return;
    }
    Optional<LinkInfo> bridge = links.link(plan.bridge());
    if (bridge.isPresent()
        && m.master() == bridge.get().index()
        && (m.flags() & Rtnl.IFF_UP) != 0) {
      return;
    }
    repair(m.name());
  }

  private void resync() throws IOException {
    for (String tap : plan.taps()) {
      if (links.link(tap).isPresent()) {
        repair(tap);
      }
    }
  }

  private void repair(String tap) throws IOException {
    List<String> actions = plan.convergeTap(links, tap);
    if (!actions.isEmpty()) {
      repairs.incrementAndGet();
      LOG.info("event=tap_repaired tap={} bridge={} actions=\"{}\"", tap, plan.bridge(), actions);
    }
  }

  /** Stops the loop (waits up to a second) and closes the notification socket; never throws. */
  @Override
  public synchronized void close() {
    running = false;
    Thread t = thread;
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(1) + TICK_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}
