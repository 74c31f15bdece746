package ovpnagent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovpnagent.util.Ipv4;

/**
 * Commit-before-ACK under {@code kill -9}: a child JVM saves leases flat out into an H2 file and
 * prints each one only after its future completed; the test kills it with SIGKILL, reopens the file
 * and checks that every acknowledged lease is there (at its acknowledged version or a later one),
 * that no address appears twice, and that the probation lease survived. Three kills, on the same
 * file, so recovery from a crashed file is exercised too.
 *
 * <p>Checked by hand that the test can fail: with {@code SET WRITE_DELAY 500} forced in the child
 * it reported 255 acknowledged leases lost in the first run.
 */
class KillDurabilityTest {
  private static final int POOL = 4000;
  @TempDir Path dir;

  @Test
  void everyAcknowledgedLeaseSurvivesKillNine() throws Exception {
    String url = StoreTesting.h2FileUrl(dir);
    for (int run = 1; run <= 3; run++) {
      Map<Integer, Long> acked = killChildDuringWrites(url, run);
      assertTrue(acked.size() > 0, "run " + run + ": child acknowledged nothing");
      try (H2Store s = H2Store.open(url)) {
        List<Lease> all = s.leases().loadAll();
        Map<Integer, Lease> byIp = new HashMap<>();
        Set<String> clients = new HashSet<>();
        for (Lease l : all) {
          assertEquals(null, byIp.put(l.ip(), l), "address twice: " + Ipv4.format(l.ip()));
          if (!l.clientKey().isEmpty()) {
            assertTrue(clients.add(l.clientKey()), "client twice: " + l.clientKey());
          }
        }
        int lost = 0;
        for (Map.Entry<Integer, Long> e : acked.entrySet()) {
          Lease l = byIp.get(e.getKey());
          if (l == null || l.updatedAt() < e.getValue()) {
            lost++;
          }
        }
        assertEquals(0, lost, "run " + run + ": acknowledged leases lost of " + acked.size());
        Lease p = byIp.get(KillChild.PROBATION_IP);
        assertTrue(p != null, "probation lease missing");
        assertEquals(LeaseState.DECLINED, p.state());
        assertEquals(KillChild.PROBATION_END, p.expiresAt());
        assertEquals(run, p.updatedAt());
        System.out.printf(
            "run %d: %d addresses acknowledged, %d rows, %d MB file%n",
            run, acked.size(), all.size(), Files.size(dir.resolve("store.mv.db")) >> 20);
      }
    }
  }

  /** Runs one child, kills it ~1.5 s after its first acknowledgement; returns ip → highest seq. */
  private Map<Integer, Long> killChildDuringWrites(String url, int run) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File err = dir.resolve("child-" + run + ".err").toFile();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                KillChild.class.getName(),
                url,
                Integer.toString(run),
                Integer.toString(POOL))
            .redirectError(err);
    Process child = pb.start();
    Map<Integer, Long> acked = new ConcurrentHashMap<>();
    CountDownLatch firstAck = new CountDownLatch(1);
    AtomicBoolean probationSeen = new AtomicBoolean();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                  String[] f = line.split(" ");
                  if (f[0].equals("PROBATION")) {
                    probationSeen.set(true);
                  } else if (f[0].equals("ACK") && f.length == 3) {
                    acked.merge(Integer.parseInt(f[1]), Long.parseLong(f[2]), Math::max);
                    firstAck.countDown();
                  }
                  // a torn last line (cut by the kill) has fewer fields and is ignored
                }
              } catch (IOException | NumberFormatException e) {
                // the pipe breaks when the child dies; what was read is what was acknowledged
              }
            });
    reader.start();
    try {
      boolean started = firstAck.await(60, TimeUnit.SECONDS);
      assertTrue(
          started, "child never acknowledged a lease; stderr: " + Files.readString(err.toPath()));
      Thread.sleep(1500);
      assertTrue(child.isAlive(), "child died on its own: " + Files.readString(err.toPath()));
    } finally {
      child.destroyForcibly(); // SIGKILL
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
    }
    reader.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(reader.isAlive(), "stdout reader did not finish");
    assertEquals(137, child.exitValue(), "child was not killed by SIGKILL");
    assertTrue(probationSeen.get());
    return new HashMap<>(acked);
  }
}
