package ovpnagent.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import ovpnagent.util.HwAddr;

/**
 * Throughput of the H2 lease store (a main for {@code make bench}, not a test): leases/s and
 * commits/s when each save waits for the previous one (one commit per lease) and when many saves
 * are outstanding (group commit). Writes an H2 file in a temporary directory, which it deletes.
 *
 * <p>Arguments (optional): number of leases per phase (default 20 000), outstanding saves in the
 * grouped phase (default 256).
 */
public final class StoreBench {
  private StoreBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    Path dir = Files.createTempDirectory("store-bench");
    try (H2Store store = H2Store.open(StoreTesting.h2FileUrl(dir))) {
      LeaseStore leases = store.leases();
      sequential(leases, 0, 1_000); // warm-up
      grouped(leases, 0, 5_000, window);
      report("single (save, wait, save...)", store, () -> sequential(leases, 1, n / 4));
      report("grouped (" + window + " outstanding)", store, () -> grouped(leases, 2, n, window));
    }
    try (H2Store store = H2Store.open(StoreTesting.h2FileUrl(dir))) {
      long t0 = System.nanoTime();
      int loaded = store.leases().loadAll().size();
      System.out.printf(
          "store-bench %-32s leases=%d ms=%d%n",
          "reopen + loadAll", loaded, (System.nanoTime() - t0) / 1_000_000);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(StoreBench::deleteQuietly);
      }
    }
  }

  private interface Phase {
    int run() throws Exception;
  }

  private static void report(String name, H2Store store, Phase phase) throws Exception {
    StoreStats before = store.stats();
    long t0 = System.nanoTime();
    int leases = phase.run();
    double s = (System.nanoTime() - t0) / 1e9;
    StoreStats after = store.stats();
    long commits = after.commits() - before.commits();
    System.out.printf(
        "store-bench %-32s leases=%d seconds=%.2f leases/s=%.0f commits/s=%.0f"
            + " leases/commit=%.1f%n",
        name, leases, s, leases / s, commits / s, commits == 0 ? 0.0 : (double) leases / commits);
  }

  private static Lease lease(int run, int i) {
    int ip = StoreTesting.ip("198.18.0.0") + 1 + (i % 131_000);
    long mac = ((long) run << 32) | i;
    return new Lease(
        ip, "c" + mac, HwAddr.ofLong(mac), LeaseState.BOUND, i, i + 600_000L, null, null);
  }

  private static int sequential(LeaseStore leases, int run, int n) {
    for (int i = 0; i < n; i++) {
      leases.save(lease(run, i)).join();
    }
    return n;
  }

  private static int grouped(LeaseStore leases, int run, int n, int window) throws Exception {
    Semaphore permits = new Semaphore(window);
    CompletableFuture<?>[] last = new CompletableFuture<?>[1];
    for (int i = 0; i < n; i++) {
      permits.acquire();
      last[0] = leases.save(lease(run, i)).whenComplete((v, e) -> permits.release());
    }
    permits.acquire(window); // all done
    return n;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort
    }
  }
}
