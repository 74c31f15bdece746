package ovpnagent.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/** Small helpers shared by the store tests. */
final class StoreTesting {
  private StoreTesting() {}

  /** Waits (at most 10 s) for a write to complete; rethrows its failure. */
  static void done(CompletableFuture<Void> f) {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("write failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("write did not complete in time", e);
    }
  }

  static int ip(String dotted) {
    return Ipv4.parse(dotted);
  }

  static HwAddr mac(int n) {
    return HwAddr.ofLong(0x525400000000L + n);
  }

  static Lease bound(String ip, int client, long now) {
    return new Lease(
        ip(ip),
        mac(client).toString(),
        mac(client),
        LeaseState.BOUND,
        now,
        now + 600_000,
        null,
        null);
  }

  static String h2FileUrl(java.nio.file.Path dir) {
    return "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
  }
}
