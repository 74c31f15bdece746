package ovpnagent.dhcp.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.PriorityQueue;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseState;

/**
 * The server's in-memory view of every lease: by address, by client key, and a queue of expiry
 * times so the reaper never scans. At most one lease per address. Not thread-safe; the allocator
 * locks.
 */
final class LeaseIndex {
  /** A time at which the lease of {@code ip} may end; stale entries are skipped when polled. */
  record Expiry(long at, int ip) {}

  private final HashMap<Integer, Lease> byIp = new HashMap<>();
  private final HashMap<String, Integer> byClient = new HashMap<>();
  private final PriorityQueue<Expiry> expiries =
      new PriorityQueue<>(Comparator.comparingLong(Expiry::at));

  /**
   * ip → time of its live queue entry: at most one live entry per address, however often renewed.
   */
  private final HashMap<Integer, Long> scheduled = new HashMap<>();

  private final int[] stateCounts = new int[LeaseState.values().length];

  Lease get(int ip) {
    return byIp.get(ip);
  }

  /** The lease that belongs to {@code key} (its latest), or null. */
  Lease ofClient(String key) {
    Integer ip = byClient.get(key);
    if (ip == null) {
      return null;
    }
    Lease l = byIp.get(ip);
    return l != null && l.clientKey().equals(key) ? l : null;
  }

  /** Inserts or replaces the lease of {@code l.ip()}. */
  void put(Lease l) {
    Lease old = byIp.put(l.ip(), l);
    if (old != null) {
      stateCounts[old.state().ordinal()]--;
      if (!old.clientKey().isEmpty() && !old.clientKey().equals(l.clientKey())) {
        byClient.remove(old.clientKey(), old.ip());
      }
    }
    stateCounts[l.state().ordinal()]++;
    if (!l.clientKey().isEmpty()) {
      byClient.put(l.clientKey(), l.ip());
    }
    if (ends(l)) {
      schedule(l);
    }
  }

  private static boolean ends(Lease l) {
    LeaseState s = l.state();
    return s == LeaseState.OFFERED || s == LeaseState.BOUND || s == LeaseState.DECLINED;
  }

  /**
   * Queues the lease's end unless an entry at or before it is already queued (a renewal does not
   * add an entry: the earlier one fires, finds the lease still running and re-queues it once).
   */
  private void schedule(Lease l) {
    Long at = scheduled.get(l.ip());
    if (at == null || at > l.expiresAt()) {
      scheduled.put(l.ip(), l.expiresAt());
      expiries.add(new Expiry(l.expiresAt(), l.ip()));
    }
  }

  /** Removes the lease of {@code ip}; returns it or null. */
  Lease remove(int ip) {
    scheduled.remove(ip);
    Lease old = byIp.remove(ip);
    if (old != null) {
      stateCounts[old.state().ordinal()]--;
      if (!old.clientKey().isEmpty()) {
        byClient.remove(old.clientKey(), ip);
      }
    }
    return old;
  }

  /**
   * The next lease that has ended by {@code now} and is still in an ending state (OFFERED, BOUND,
   * DECLINED), or null. Stale queue entries are dropped and running leases re-queued on the way.
   */
  Lease pollEnded(long now) {
    while (true) {
      Expiry e = expiries.peek();
      if (e == null || e.at() > now) {
        return null;
      }
      expiries.poll();
      Long at = scheduled.get(e.ip());
      if (at == null || at != e.at()) {
        continue;
      }
      scheduled.remove(e.ip());
      Lease l = byIp.get(e.ip());
      if (l == null || !ends(l)) {
        continue;
      }
      if (l.expiresAt() > now) {
        schedule(l);
        continue;
      }
      return l;
    }
  }

  /** Entries in the expiry queue (bounded by about one per address). */
  int queued() {
    return expiries.size();
  }

  int count(LeaseState s) {
    return stateCounts[s.ordinal()];
  }

  int size() {
    return byIp.size();
  }

  List<Lease> snapshot() {
    return new ArrayList<>(byIp.values());
  }
}
