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
    LeaseState s = l.state();
    if (s == LeaseState.OFFERED || s == LeaseState.BOUND || s == LeaseState.DECLINED) {
      expiries.add(new Expiry(l.expiresAt(), l.ip()));
    }
  }

  /** Removes the lease of {@code ip}; returns it or null. */
  Lease remove(int ip) {
    Lease old = byIp.remove(ip);
    if (old != null) {
      stateCounts[old.state().ordinal()]--;
      if (!old.clientKey().isEmpty()) {
        byClient.remove(old.clientKey(), ip);
      }
    }
    return old;
  }

  /** The next expiry due at or before {@code now}, removed from the queue, or null. */
  Expiry pollDue(long now) {
    Expiry e = expiries.peek();
    if (e == null || e.at() > now) {
      return null;
    }
    return expiries.poll();
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
