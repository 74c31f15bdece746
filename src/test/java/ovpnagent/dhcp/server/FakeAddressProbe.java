package ovpnagent.dhcp.server;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-process {@link AddressProbe}: an address in {@link #inUse} answers. Probes complete at once,
 * or, with {@link #hold} set, only when the test calls {@link #finishHeld}; {@link #fail} makes
 * probes fail as an unsendable one would.
 */
final class FakeAddressProbe implements AddressProbe {
  final Set<Integer> inUse = ConcurrentHashMap.newKeySet();
  final List<Integer> probed = new CopyOnWriteArrayList<>();
  volatile boolean hold;
  volatile boolean fail;
  volatile boolean closed;
  private final Map<Integer, CompletableFuture<Boolean>> held = new ConcurrentHashMap<>();

  @Override
  public CompletableFuture<Boolean> probe(int ip) {
    probed.add(ip);
    if (fail) {
      return CompletableFuture.failedFuture(new java.io.IOException("probe failed (test)"));
    }
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    if (hold) {
      held.put(ip, f);
    } else {
      f.complete(inUse.contains(ip));
    }
    return f;
  }

  /** Completes every held probe with what {@link #inUse} says now; returns how many. */
  int finishHeld() {
    int n = 0;
    for (Map.Entry<Integer, CompletableFuture<Boolean>> e : held.entrySet()) {
      held.remove(e.getKey());
      e.getValue().complete(inUse.contains(e.getKey()));
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    closed = true;
  }
}
