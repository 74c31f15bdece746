package ovpnagent.store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import ovpnagent.util.HwAddr;

/**
 * Persistence of the MAC → router (common name) map of bridged instances: which router carried
 * which device. Writes complete when durable.
 */
public interface MappingStore {
  /** Records that {@code mac} sits behind {@code router} (replacing any earlier router). */
  CompletableFuture<Void> put(HwAddr mac, String router, long seenAtMs);

  /** Forgets one MAC. */
  CompletableFuture<Void> remove(HwAddr mac);

  /** Forgets every MAC learned behind a router (it disconnected). */
  CompletableFuture<Void> removeRouter(String router);

  Optional<String> routerOf(HwAddr mac);

  /** The whole map, for the agent's in-memory copy at start. */
  Map<HwAddr, String> loadAll();
}
