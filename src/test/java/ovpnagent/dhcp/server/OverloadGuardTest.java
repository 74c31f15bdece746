package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.util.HwAddr;

class OverloadGuardTest {
  /** An in-memory link whose receive-queue fill the test sets. */
  private static final class Link implements PacketIo {
    int backlog;

    @Override
    public int backlogPercent() {
      return backlog;
    }

    @Override
    public int receive(byte[] buf, Source from) {
      return CLOSED;
    }

    @Override
    public void send(byte[] data, int len, int ip, int port, HwAddr mac) {}

    @Override
    public String name() {
      return "test0";
    }

    @Override
    public void close() {}
  }

  @Test
  void idleServerShedsNothing() {
    OverloadGuard g = new OverloadGuard("test0");
    Link io = new Link();
    for (int i = 0; i < 100; i++) {
      assertFalse(g.shedDiscover(io));
    }
    assertFalse(g.shedRequest());
  }

  @Test
  void tooManyWaitingCommitsShedDiscoversThenRequests() {
    OverloadGuard g = new OverloadGuard("test0");
    Link io = new Link();
    List<Long> tokens = new ArrayList<>();
    for (int i = 0; i <= OverloadGuard.MAX_PENDING; i++) {
      tokens.add(g.saveStarted());
    }
    assertTrue(g.shedDiscover(io));
    assertFalse(g.shedRequest(), "REQUESTs go ahead until the store queue is nearly full");
    for (int i = OverloadGuard.MAX_PENDING; i <= OverloadGuard.MAX_PENDING_REQUESTS; i++) {
      tokens.add(g.saveStarted());
    }
    assertTrue(g.shedRequest());
    tokens.forEach(g::saveDone);
    assertEquals(0, g.pending());
    assertFalse(g.shedDiscover(io), "caught up: nothing waits, a stale latency does not count");
    assertFalse(g.shedRequest());
  }

  @Test
  void slowCommitShedsWhileSavesWait() {
    OverloadGuard g = new OverloadGuard("test0");
    Link io = new Link();
    long slow = g.saveStarted() - OverloadGuard.MAX_LATENCY_NANOS - 1_000_000;
    g.saveDone(slow);
    assertFalse(g.shedDiscover(io), "nothing waits");
    long t = g.saveStarted();
    assertTrue(g.shedDiscover(io), "a save waits and the last commit was too slow");
    g.saveDone(t);
    g.saveStarted();
    assertFalse(g.shedDiscover(io), "the last commit was fast again");
  }

  @Test
  void fullReceiveQueueShedsDiscovers() {
    OverloadGuard g = new OverloadGuard("test0");
    Link io = new Link();
    io.backlog = OverloadGuard.MAX_BACKLOG_PERCENT + 1;
    assertTrue(g.shedDiscover(io), "the first call samples the queue");
    io.backlog = 0;
    boolean cleared = false;
    for (int i = 0; i < OverloadGuard.BACKLOG_SAMPLE_EVERY; i++) {
      cleared |= !g.shedDiscover(io);
    }
    assertTrue(cleared, "the next sample sees the drained queue");
  }
}
