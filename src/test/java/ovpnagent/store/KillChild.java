package ovpnagent.store;

import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import ovpnagent.util.HwAddr;

/**
 * Child process of {@link KillDurabilityTest} (not a test): opens an H2 file store, saves a
 * probation lease, then saves leases as fast as it can from several threads and prints {@code ACK
 * <ip> <seq>} for each save only after its future completed normally. It runs until killed.
 *
 * <p>Arguments: JDBC URL, run number (makes sequence numbers grow across runs), pool size.
 */
public final class KillChild {
  static final int POOL_BASE = StoreTesting.ip("198.18.0.0");
  static final int PROBATION_IP = StoreTesting.ip("198.19.255.1");
  static final long PROBATION_END = 4_102_444_800_000L; // 2100-01-01

  private KillChild() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long run = Long.parseLong(args[1]);
    int pool = Integer.parseInt(args[2]);
    PrintStream out =
        new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
    H2Store store = H2Store.open(url);
    LeaseStore leases = store.leases();
    Lease probation =
        new Lease(PROBATION_IP, "", null, LeaseState.DECLINED, run, PROBATION_END, null, null);
    leases.save(probation).get();
    out.println("PROBATION " + run);
    out.flush();

    BlockingQueue<String> acked = new ArrayBlockingQueue<>(1 << 16);
    Thread printer =
        new Thread(
            () -> {
              try {
                while (true) {
                  out.println(acked.take());
                  if (acked.isEmpty()) {
                    out.flush();
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    printer.start();

    AtomicLong seq = new AtomicLong(run * 1_000_000_000L);
    Semaphore outstanding = new Semaphore(256);
    for (int t = 0; t < 4; t++) {
      Thread w =
          new Thread(
              () -> {
                while (true) {
                  outstanding.acquireUninterruptibly();
                  long s = seq.incrementAndGet();
                  int ip = POOL_BASE + 1 + (int) (s % pool);
                  Lease l =
                      new Lease(
                          ip,
                          "c" + s,
                          HwAddr.ofLong(s & 0xffffffffffffL),
                          LeaseState.BOUND,
                          s,
                          s + 600_000,
                          null,
                          null);
                  leases
                      .save(l)
                      .whenComplete(
                          (v, e) -> {
                            outstanding.release();
                            if (e == null) {
                              try {
                                acked.put("ACK " + ip + " " + s);
                              } catch (InterruptedException ie) {
                                Thread.currentThread().interrupt();
                              }
                            }
                          });
                }
              });
      w.start();
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
