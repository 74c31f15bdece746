package ovpnagent.dhcp.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseState;
import ovpnagent.util.HwAddr;

/**
 * Address choice and lease state changes (RFC 2131 §4.3.1 and dhcp.md §2 row 20): reservation, then
 * the client's current or previous binding, then the requested address if free and valid, then a
 * free address from the subnet's pool in O(1). An offered address is held for the offer lifetime
 * for that client only; a reserved address never goes to anyone else; no address is ever held by
 * two clients. All methods are synchronized: the receive thread, the reaper and status views share
 * one lock.
 */
public final class LeaseAllocator {
  /** The outcome of binding: the BOUND lease, or the NAK reason. */
  record BindResult(Lease lease, String nakReason) {}

  /** A change the reaper made: save {@code lease}, or delete {@code ip} when lease is null. */
  record Reclaimed(int ip, Lease lease, LeaseState from) {}

  private final LeaseIndex index = new LeaseIndex();
  private final List<Subnet> subnets;
  private final Map<String, Integer> reservations;
  private final Map<Integer, String> reservedBy = new HashMap<>();
  private final long offerMs;
  private final long probationMs;
  private final List<Lease> unsaved = new ArrayList<>();
  private long now;
  private final java.util.function.IntPredicate neverUsed =
      ip -> index.get(ip) == null && !reservedBy.containsKey(ip);
  private final java.util.function.IntPredicate reusable = ip -> freeForAnyone(ip, now);

  /**
   * An allocator over {@code subnets}.
   *
   * @param reservations client key to address
   * @param offerMs how long an offer is held
   * @param probationMs how long a declined address stays out of use
   */
  LeaseAllocator(
      List<Subnet> subnets, Map<String, Integer> reservations, long offerMs, long probationMs) {
    this.subnets = new ArrayList<>();
    this.reservations = Map.copyOf(reservations);
    reservations.forEach((k, v) -> reservedBy.put(v, k));
    for (Subnet s : subnets) {
      addSubnetLocked(s);
    }
    this.offerMs = offerMs;
    this.probationMs = probationMs;
  }

  /** Adds a subnet that appeared after start (a router's site subnet); ignored if already known. */
  synchronized void addSubnet(Subnet s) {
    addSubnetLocked(s);
  }

  private void addSubnetLocked(Subnet s) {
    for (Subnet known : subnets) {
      if (known == s) {
        return;
      }
    }
    subnets.add(s);
    // Never lease the server's own address, the network/broadcast address or a site's gateway
    // ("" = nobody).
    List<Integer> own = new ArrayList<>(s.excluded());
    own.add(s.serverId());
    own.add(s.network().network());
    own.add(s.network().broadcast());
    for (int ip : own) {
      if (s.pool().contains(ip) && !reservedBy.containsKey(ip)) {
        reservedBy.put(ip, "");
      }
    }
  }

  /** Rebuilds the index from stored leases (oldest first, so the newest per client wins). */
  synchronized void load(List<Lease> stored) {
    List<Lease> sorted = new ArrayList<>(stored);
    sorted.sort(Comparator.comparingLong(Lease::updatedAt));
    for (Lease l : sorted) {
      index.put(l);
    }
    for (Lease l : sorted) {
      if (l.state() == LeaseState.RELEASED || l.state() == LeaseState.EXPIRED) {
        free(l.ip());
      }
    }
  }

  /**
   * Chooses and holds an address to offer to {@code key}; returns its lease (OFFERED, or the
   * client's still-valid BOUND lease), or null if the pool is exhausted.
   */
  synchronized Lease offer(
      Subnet s, String key, HwAddr mac, int requested, String hostname, long time) {
    this.now = time;
    int ip = 0;
    Integer reserved = reservations.get(key);
    Lease current = index.ofClient(key);
    if (reserved != null && s.network().contains(reserved) && availableFor(reserved, key, time)) {
      ip = reserved;
    } else if (current != null && usableBy(s, current.ip(), key)) {
      ip = current.ip();
    } else if (requested != 0
        && s.pool().contains(requested)
        && availableFor(requested, key, time)) {
      ip = requested;
    } else {
      ip = s.pool().take(neverUsed, reusable);
    }
    if (ip == 0) {
      return null;
    }
    if (current != null
        && current.ip() != ip
        && !s.network().contains(current.ip())
        && (current.state() == LeaseState.BOUND || current.state() == LeaseState.OFFERED)) {
      // The client now sits in another subnet (a device that moved to another router): its old
      // address is of no use to it there, so it goes back to the pool now, and the store is told
      // (drainUnsaved), or the old row would come back BOUND after a restart.
      Lease gone = current.withState(LeaseState.EXPIRED, time, time);
      index.put(gone);
      free(current.ip());
      if (current.state() == LeaseState.BOUND) {
        unsaved.add(gone);
      }
    }
    Lease existing = index.get(ip);
    if (existing != null
        && existing.state() == LeaseState.BOUND
        && existing.clientKey().equals(key)
        && existing.activeAt(time)) {
      return existing;
    }
    Lease offered =
        new Lease(ip, key, mac, LeaseState.OFFERED, time, time + offerMs, s.router(), hostname);
    index.put(offered);
    return offered;
  }

  /**
   * Stored leases that {@link #offer} changed without a save of their own (a moved client's old
   * BOUND lease, now EXPIRED), for the caller to persist; empty almost always.
   */
  synchronized List<Lease> drainUnsaved() {
    if (unsaved.isEmpty()) {
      return List.of();
    }
    List<Lease> out = List.copyOf(unsaved);
    unsaved.clear();
    return out;
  }

  private boolean usableBy(Subnet s, int ip, String key) {
    String owner = reservedBy.get(ip);
    if (owner != null) {
      return owner.equals(key) && s.network().contains(ip);
    }
    return s.pool().contains(ip);
  }

  /** Binds {@code ip} to {@code key} (REQUEST), or says why it must be NAKed. */
  synchronized BindResult bind(
      Subnet s, String key, HwAddr mac, int ip, String hostname, long time) {
    this.now = time;
    if (!s.network().isHost(ip)) {
      return new BindResult(null, "address not on this network");
    }
    String owner = reservedBy.get(ip);
    if (owner != null && !owner.equals(key)) {
      return new BindResult(null, "address reserved for another client");
    }
    Integer reserved = reservations.get(key);
    if (reserved != null && reserved != ip && s.network().contains(reserved)) {
      return new BindResult(null, "client has a reserved address");
    }
    Lease l = index.get(ip);
    boolean mine = l != null && l.clientKey().equals(key);
    if (!mine) {
      if (owner == null && !s.pool().contains(ip)) {
        return new BindResult(null, "address outside the pool");
      }
      if (!availableFor(ip, key, time)) {
        return new BindResult(
            null, l.state() == LeaseState.DECLINED ? "address declined" : "address in use");
      }
    }
    Lease bound =
        new Lease(
            ip,
            key,
            mac,
            LeaseState.BOUND,
            time,
            time + s.leaseSeconds() * 1000,
            s.router(),
            hostname);
    index.put(bound);
    return new BindResult(bound, null);
  }

  /** The lease of a client, or null if we have no record of it. */
  synchronized Lease leaseOf(String key) {
    return index.ofClient(key);
  }

  /** The lease of an address, or null. */
  synchronized Lease leaseAt(int ip) {
    return index.get(ip);
  }

  /** RELEASE: the client's BOUND/OFFERED lease of {@code ip} becomes RELEASED; null on mismatch. */
  synchronized Lease release(String key, int ip, long time) {
    Lease l = index.get(ip);
    if (l == null
        || !l.clientKey().equals(key)
        || (l.state() != LeaseState.BOUND && l.state() != LeaseState.OFFERED)) {
      return null;
    }
    Lease released = l.withState(LeaseState.RELEASED, time, time);
    index.put(released);
    free(ip);
    return released;
  }

  /** DECLINE: the address goes on probation and belongs to nobody; null on mismatch. */
  synchronized Lease decline(String key, int ip, long time) {
    Lease l = index.get(ip);
    if (l == null
        || !l.clientKey().equals(key)
        || (l.state() != LeaseState.BOUND && l.state() != LeaseState.OFFERED)) {
      return null;
    }
    Lease declined =
        new Lease(ip, "", null, LeaseState.DECLINED, time, time + probationMs, null, null);
    index.put(declined);
    return declined;
  }

  /** A SELECTING client chose another server: our offer to it is freed. True if there was one. */
  synchronized boolean forgetOffer(String key, long time) {
    Lease l = index.ofClient(key);
    if (l == null || l.state() != LeaseState.OFFERED) {
      return false;
    }
    index.put(l.withState(LeaseState.EXPIRED, time, time));
    free(l.ip());
    return true;
  }

  /**
   * Reclaims up to {@code max} leases that ended by {@code time}: BOUND → EXPIRED (kept for
   * affinity), OFFERED → EXPIRED (memory only), DECLINED → removed (probation over).
   */
  synchronized List<Reclaimed> reclaim(long time, int max) {
    List<Reclaimed> out = new ArrayList<>();
    Lease l;
    while (out.size() < max && (l = index.pollEnded(time)) != null) {
      switch (l.state()) {
        case BOUND, OFFERED -> {
          Lease expired = l.withState(LeaseState.EXPIRED, time, time);
          index.put(expired);
          free(l.ip());
          out.add(new Reclaimed(l.ip(), expired, l.state()));
        }
        case DECLINED -> {
          index.remove(l.ip());
          free(l.ip());
          out.add(new Reclaimed(l.ip(), null, l.state()));
        }
        default -> {}
      }
    }
    return out;
  }

  private boolean availableFor(int ip, String key, long time) {
    String owner = reservedBy.get(ip);
    if (owner != null && !owner.equals(key)) {
      return false;
    }
    Lease l = index.get(ip);
    if (l == null) {
      return true;
    }
    if (l.clientKey().equals(key) && l.state() != LeaseState.DECLINED) {
      return true;
    }
    return switch (l.state()) {
      case RELEASED, EXPIRED -> true;
      case OFFERED, BOUND, DECLINED -> !l.activeAt(time);
    };
  }

  private boolean freeForAnyone(int ip, long time) {
    if (reservedBy.containsKey(ip)) {
      return false;
    }
    Lease l = index.get(ip);
    if (l == null) {
      return true;
    }
    return switch (l.state()) {
      case RELEASED, EXPIRED -> true;
      case OFFERED, BOUND, DECLINED -> !l.activeAt(time);
    };
  }

  private void free(int ip) {
    for (int i = 0; i < subnets.size(); i++) {
      AddressPool p = subnets.get(i).pool();
      if (p.contains(ip)) {
        p.free(ip);
        return;
      }
    }
  }

  /** Entries in the expiry queue (for tests: stays about one per address under renewals). */
  synchronized int expiryQueueSize() {
    return index.queued();
  }

  /** Every lease in the index. */
  public synchronized List<Lease> leases() {
    return index.snapshot();
  }

  /** Counts of leases per state and pool sizes. */
  public synchronized PoolUsage usage() {
    int total = 0;
    for (Subnet s : subnets) {
      total += s.pool().size();
    }
    return new PoolUsage(
        total,
        index.count(LeaseState.BOUND),
        index.count(LeaseState.OFFERED),
        index.count(LeaseState.DECLINED),
        index.count(LeaseState.RELEASED) + index.count(LeaseState.EXPIRED));
  }

  /**
   * Pool use for the status CLI.
   *
   * @param total addresses in all pools
   * @param bound leases in state BOUND (some may have ended and await the reaper)
   * @param offered addresses held for an offer
   * @param declined addresses on probation
   * @param remembered released or expired leases kept for affinity (reusable)
   */
  public record PoolUsage(int total, int bound, int offered, int declined, int remembered) {}
}
