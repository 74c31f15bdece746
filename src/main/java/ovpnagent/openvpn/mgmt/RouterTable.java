package ovpnagent.openvpn.mgmt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The clients (routers) currently connected to one instance, keyed by (epoch, CID) because CIDs
 * restart at 0 after SIGHUP (openvpn.md §3.3). Filled from allowed CONNECTs, ESTABLISHED and the
 * {@code status 3} resync; emptied by DISCONNECT. Thread-safe.
 */
public final class RouterTable {
  /**
   * One connected router.
   *
   * @param realAddress the peer's address (env {@code trusted_ip}/{@code untrusted_ip}), or ""
   */
  public record Router(long epoch, long cid, String commonName, String realAddress) {}

  private record Key(long epoch, long cid) {
    // plain equals/hashCode: the record defaults go through an invokedynamic bootstrap that is
    // slow until the JIT has warmed up, and a key is hashed once per client of a connect burst
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.epoch == epoch && k.cid == cid;
    }

    @Override
    public int hashCode() {
      return 31 * Long.hashCode(epoch) + Long.hashCode(cid);
    }
  }

  private final Map<Key, Router> byKey = new HashMap<>();

  /** Adds or replaces the router of (epoch, cid). */
  public synchronized void put(Router r) {
    byKey.put(new Key(r.epoch(), r.cid()), r);
  }

  /** Removes and returns the router of (epoch, cid), if known. */
  public synchronized Optional<Router> remove(long epoch, long cid) {
    return Optional.ofNullable(byKey.remove(new Key(epoch, cid)));
  }

  /** The router of (epoch, cid), if known. */
  public synchronized Optional<Router> get(long epoch, long cid) {
    return Optional.ofNullable(byKey.get(new Key(epoch, cid)));
  }

  /** True if any entry carries this common name. */
  public synchronized boolean hasCommonName(String cn) {
    for (Router r : byKey.values()) {
      if (r.commonName().equals(cn)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Replaces every entry of an older epoch with {@code rows} (the {@code status 3} CLIENT_LIST of
   * {@code epoch}); returns the common names no longer present at all.
   */
  public synchronized Set<String> rebuild(long epoch, List<Router> rows) {
    Set<String> before = commonNames();
    byKey.keySet().removeIf(k -> k.epoch() < epoch);
    for (Router r : rows) {
      byKey.put(new Key(epoch, r.cid()), r);
    }
    before.removeAll(commonNames());
    return before;
  }

  /** Drops entries of epochs before {@code epoch}; returns the common names no longer present. */
  public synchronized Set<String> dropBefore(long epoch) {
    Set<String> before = commonNames();
    for (Iterator<Key> it = byKey.keySet().iterator(); it.hasNext(); ) {
      if (it.next().epoch() < epoch) {
        it.remove();
      }
    }
    before.removeAll(commonNames());
    return before;
  }

  /** All routers. */
  public synchronized List<Router> snapshot() {
    return new ArrayList<>(byKey.values());
  }

  /** Number of entries. */
  public synchronized int size() {
    return byKey.size();
  }

  private Set<String> commonNames() {
    Set<String> s = new HashSet<>();
    byKey.values().forEach(r -> s.add(r.commonName()));
    return s;
  }
}
