package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.util.Cidr;
import ovpnagent.util.Ipv4;

class PoolExhaustedTest {
  private ServerHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aFullPoolDropsAndCountsThenServesAgainAfterARelease() throws Exception {
    h = new ServerHarness();
    h.poolEnd = h.poolStart + 9;
    h.start();
    Set<Integer> ips = new HashSet<>();
    TestDhcpClient first = null;
    for (int i = 0; i < 10; i++) {
      TestDhcpClient c = h.client();
      ips.add(c.doDora());
      if (first == null) {
        first = c;
      }
    }
    assertEquals(10, ips.size());
    TestDhcpClient late = h.client();
    assertNull(late.discover().reply());
    assertEquals(1, h.drops(DropReason.POOL_EXHAUSTED));
    int freed = first.ip;
    first.doRelease();
    var offer = late.discover();
    assertEquals(MessageType.OFFER, offer.type());
    assertEquals(freed, offer.reply().yiaddr());
  }

  /**
   * Allocation does not scan: with the pool 99 % full, each take looks at one candidate, exactly as
   * with an empty pool (counted, so CPU noise cannot flake it).
   */
  @Test
  void takingAnAddressCostsTheSameWithThePool99PercentFull() {
    int size = 100_000;
    int start = Ipv4.parse("198.18.0.1");
    boolean[] used = new boolean[size];
    long[] calls = new long[1];
    java.util.function.IntPredicate free =
        ip -> {
          calls[0]++;
          return !used[ip - start];
        };
    AddressPool empty = new AddressPool(start, start + size - 1);
    for (int i = 0; i < 2000; i++) {
      used[empty.take(free, free) - start] = true;
    }
    long emptyCalls = calls[0];
    java.util.Arrays.fill(used, false);
    AddressPool full = new AddressPool(start, start + size - 1);
    for (int i = 0; i < 99_000; i++) {
      used[full.take(free, free) - start] = true;
    }
    for (int i = 0; i < 99_000; i += 99) {
      used[i] = false;
      full.free(start + i);
    }
    calls[0] = 0;
    Set<Integer> got = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      int ip = full.take(free, free);
      assertTrue(ip != 0 && got.add(ip));
      used[ip - start] = true;
    }
    assertEquals(emptyCalls, calls[0], "candidates examined for 2000 takes, empty vs 99% full");
    assertEquals(2000, emptyCalls);
  }

  @Test
  void allocatorHandsOutTheLastFreeAddressesOfAnAlmostFullPool() {
    int start = Ipv4.parse("198.18.0.1");
    int size = 10_000;
    Subnet s =
        new Subnet(
            "t",
            Cidr.parse("198.18.0.0/15"),
            start,
            start + size - 1,
            start - 1,
            List.of(),
            List.of(),
            null,
            java.time.Duration.ofHours(1));
    LeaseAllocator a = new LeaseAllocator(List.of(s), Map.of(), 30_000, 60_000);
    long now = 1000;
    for (int i = 0; i < size - 100; i++) {
      String key = "c" + i;
      a.bind(s, key, null, a.offer(s, key, null, 0, null, now).ip(), null, now);
    }
    for (int i = 0; i < size - 100; i += 99) {
      a.release("c" + i, start + i, now);
    }
    Set<Integer> got = new HashSet<>();
    for (int i = 0; i < 100 + (size - 100 + 98) / 99; i++) {
      got.add(a.offer(s, "n" + i, null, 0, null, now).ip());
    }
    assertEquals(100 + (size - 100 + 98) / 99, got.size());
    assertNull(a.offer(s, "last", null, 0, null, now));
  }

  @Test
  void renewalsDoNotGrowTheExpiryQueue() {
    int start = Ipv4.parse("198.18.0.10");
    Subnet s =
        new Subnet(
            "t",
            Cidr.parse("198.18.0.0/24"),
            start,
            start + 9,
            start - 9,
            List.of(),
            List.of(),
            null,
            java.time.Duration.ofHours(1));
    LeaseAllocator a = new LeaseAllocator(List.of(s), Map.of(), 30_000, 60_000);
    int ip = a.offer(s, "c", null, 0, null, 0).ip();
    for (int i = 0; i < 10_000; i++) {
      a.bind(s, "c", null, ip, null, i * 1000L);
    }
    assertTrue(a.expiryQueueSize() <= 2, "queue size " + a.expiryQueueSize());
    // The lease ends one hour after the last renewal, not after the first.
    assertEquals(0, a.reclaim(3_600_000L + 5_000_000L, 100).size());
    assertEquals(1, a.reclaim(10_000 * 1000L + 3_600_000L, 100).size());
    assertEquals(ovpnagent.store.LeaseState.EXPIRED, a.leaseAt(ip).state());
  }

  @Test
  void theServerAddressInsideThePoolIsNeverLeased() throws Exception {
    h = new ServerHarness();
    h.poolStart = ServerHarness.SERVER;
    h.poolEnd = ServerHarness.SERVER + 2;
    h.start();
    Set<Integer> got = new HashSet<>();
    got.add(h.client().doDora());
    got.add(h.client().doDora());
    assertNull(h.client().discover().reply());
    assertTrue(!got.contains(ServerHarness.SERVER), got.toString());
  }
}
