package ovpnagent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void bucketsAreUpperInclusive() {
    Histogram h = new Histogram(1, 5, 10);
    h.recordMillis(1); // le=1
    h.recordNanos(1_000_001); // just over 1 ms: le=5
    h.recordMillis(10); // le=10
    h.recordMillis(11); // +Inf
    h.recordNanos(-5); // clamped to 0: le=1
    Histogram.Snapshot s = h.snapshot();
    assertEquals(List.of(2L, 1L, 1L, 1L), s.counts());
    assertEquals(5, s.count());
    assertEquals(2, s.cumulative(0));
    assertEquals(5, s.cumulative(3));
  }

  @Test
  void quantilesInterpolateInsideTheBucket() {
    Histogram h = new Histogram(10, 20, 40);
    for (int i = 0; i < 50; i++) {
      h.recordMillis(5); // 0..10
    }
    for (int i = 0; i < 50; i++) {
      h.recordMillis(15); // 10..20
    }
    // rank 50 of 100 is the end of the first bucket
    assertEquals(10.0, h.p50(), 1e-9);
    // rank 99: 49/50 of the way through the 10..20 bucket
    assertEquals(19.8, h.p99(), 1e-9);
    h.record(Duration.ofSeconds(5)); // +Inf bucket
    assertEquals(40.0, h.snapshot().quantile(1.0), 1e-9, "+Inf estimates the highest bound");
    assertTrue(Double.isNaN(new Histogram().p50()), "empty is NaN");
    assertThrows(IllegalArgumentException.class, () -> h.snapshot().quantile(1.5));
  }

  @Test
  void badBoundsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Histogram(new long[0]));
    assertThrows(IllegalArgumentException.class, () -> new Histogram(5, 5));
    assertThrows(IllegalArgumentException.class, () -> new Histogram(-1, 5));
  }

  @Test
  void threadSafeUnderContention() throws Exception {
    Histogram h = new Histogram();
    int threads = 4;
    int per = 50_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      final int k = t;
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < per; i++) {
                  h.recordMillis((i + k) % 20);
                }
              });
      th.start();
      ts.add(th);
    }
    go.countDown();
    for (Thread t : ts) {
      t.join(30_000);
    }
    Histogram.Snapshot s = h.snapshot();
    assertEquals((long) threads * per, s.count());
    long expectedSum = 0;
    for (int k = 0; k < threads; k++) {
      for (int i = 0; i < per; i++) {
        expectedSum += (i + k) % 20;
      }
    }
    assertEquals(expectedSum, s.sumMs(), 1e-6);
  }
}
