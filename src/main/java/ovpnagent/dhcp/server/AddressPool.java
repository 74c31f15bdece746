package ovpnagent.dhcp.server;

import java.util.BitSet;
import java.util.function.IntPredicate;
import ovpnagent.util.Ipv4;

/**
 * The dynamic range of a subnet, with O(1) allocation: a cursor over never-used addresses, then a
 * FIFO ring of addresses freed since (oldest first, so a released address stays available to its
 * old client as long as possible). No call scans the range: every address is passed by the cursor
 * once and enters the ring once per time it is freed. Not thread-safe; the allocator locks.
 */
public final class AddressPool {
  private final int start;
  private final int size;
  private int nextFresh;
  private final int[] ring;
  private int head;
  private int count;
  private final BitSet queued;

  /** The inclusive range {@code start..end}. */
  public AddressPool(int start, int end) {
    long n = Ipv4.unsigned(end) - Ipv4.unsigned(start) + 1;
    if (n <= 0 || n > (1 << 24)) {
      throw new IllegalArgumentException(
          "pool " + Ipv4.format(start) + "-" + Ipv4.format(end) + " is empty or too large");
    }
    this.start = start;
    this.size = (int) n;
    this.ring = new int[size];
    this.queued = new BitSet(size);
  }

  /** First address. */
  public int start() {
    return start;
  }

  /** Last address. */
  public int end() {
    return start + size - 1;
  }

  /** Number of addresses. */
  public int size() {
    return size;
  }

  /** True if {@code ip} is in the range. */
  public boolean contains(int ip) {
    return Integer.compareUnsigned(ip - start, size) < 0;
  }

  /**
   * Takes the next address: one {@code neverUsed} accepts first, then the longest-free one that
   * {@code usable} accepts. Candidates that {@code usable} rejects are passed over (they are in use
   * again and will be offered back by {@link #free} when freed).
   *
   * @return the address, or 0 if the pool is exhausted
   */
  int take(IntPredicate neverUsed, IntPredicate usable) {
    while (nextFresh < size) {
      int ip = start + nextFresh++;
      if (neverUsed.test(ip)) {
        return ip;
      }
    }
    while (count > 0) {
      int off = ring[head];
      head = head + 1 == size ? 0 : head + 1;
      count--;
      queued.clear(off);
      int ip = start + off;
      if (usable.test(ip)) {
        return ip;
      }
    }
    return 0;
  }

  /**
   * Makes {@code ip} available again (appended to the reuse ring); ignored if outside the range.
   */
  void free(int ip) {
    if (!contains(ip)) {
      return;
    }
    int off = ip - start;
    if (!queued.get(off)) {
      queued.set(off);
      int tail = head + count;
      ring[tail >= size ? tail - size : tail] = off;
      count++;
    }
  }

  /** Addresses never handed out yet plus addresses waiting for reuse (an upper bound of free). */
  int candidates() {
    return size - nextFresh + count;
  }
}
