package ovpnagent.dhcp.server;

import java.util.HashMap;
import java.util.Iterator;

/**
 * Per-MAC history for the early filter: the last DISCOVER (flap detection: a new xid inside {@code
 * flapWindow} is dropped, a retransmission with the same xid is not) and recent DECLINEs (a MAC
 * that declines more than {@code declineLimit} times within {@code declineWindow} is ignored until
 * the window passes, dhcp.md §3). Thread-safe.
 */
final class ClientTracker {
  private static final class Entry {
    long lastDiscover = Long.MIN_VALUE;
    int lastXid;
    long[] declines;
    int declineCount;
    long blockedUntil = Long.MIN_VALUE;
  }

  private final long flapMs;
  private final int declineLimit;
  private final long declineWindowMs;
  private final HashMap<Long, Entry> entries = new HashMap<>();

  ClientTracker(long flapMs, int declineLimit, long declineWindowMs) {
    this.flapMs = flapMs;
    this.declineLimit = Math.max(1, declineLimit);
    this.declineWindowMs = declineWindowMs;
  }

  /** False if {@code mac} is ignored for declining too often. */
  synchronized boolean allowed(long mac, long now) {
    Entry e = entries.get(mac);
    return e == null || e.blockedUntil <= now;
  }

  /** Records a DISCOVER; false if it is a new one inside the flap window (drop it). */
  synchronized boolean onDiscover(long mac, int xid, long now) {
    if (flapMs <= 0) {
      return true; // flap detection off: nothing to remember per DISCOVER
    }
    Entry e = entries.computeIfAbsent(mac, k -> new Entry());
    if (flapMs > 0
        && e.lastDiscover != Long.MIN_VALUE
        && now - e.lastDiscover < flapMs
        && now >= e.lastDiscover
        && xid != e.lastXid) {
      return false;
    }
    e.lastDiscover = now;
    e.lastXid = xid;
    return true;
  }

  /** Records a DECLINE; false if the MAC is over its limit (drop it and ignore the MAC). */
  synchronized boolean onDecline(long mac, long now) {
    Entry e = entries.computeIfAbsent(mac, k -> new Entry());
    if (e.declines == null) {
      e.declines = new long[declineLimit];
    }
    prune(e, now);
    if (e.declineCount >= declineLimit) {
      e.blockedUntil = e.declines[0] + declineWindowMs;
      return false;
    }
    e.declines[e.declineCount++] = now;
    return true;
  }

  private void prune(Entry e, long now) {
    int keep = 0;
    for (int i = 0; i < e.declineCount; i++) {
      if (now - e.declines[i] < declineWindowMs) {
        e.declines[keep++] = e.declines[i];
      }
    }
    e.declineCount = keep;
  }

  /** Forgets MACs with nothing left to remember (called by the reaper). */
  synchronized void expire(long now) {
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.declines != null) {
        prune(e, now);
      }
      boolean flapOver = e.lastDiscover == Long.MIN_VALUE || now - e.lastDiscover >= flapMs;
      if (flapOver && e.declineCount == 0 && e.blockedUntil <= now) {
        it.remove();
      }
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
