package ovpnagent.store;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ovpnagent.util.HwAddr;

/**
 * MAC → router mappings in a map, for tests and for running without a database.
 *
 * <ul>
 *   <li><b>Start:</b> empty.
 *   <li><b>Each write:</b> applied at once; its future is already complete.
 *   <li><b>Durability:</b> none; everything is lost with the process.
 * </ul>
 */
public final class InMemoryMappingStore implements MappingStore {
  private final ConcurrentHashMap<HwAddr, String> map = new ConcurrentHashMap<>();

  @Override
  public CompletableFuture<Void> put(HwAddr mac, String router, long seenAtMs) {
    map.put(Objects.requireNonNull(mac, "mac"), Objects.requireNonNull(router, "router"));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> remove(HwAddr mac) {
    map.remove(Objects.requireNonNull(mac, "mac"));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> removeRouter(String router) {
    Objects.requireNonNull(router, "router");
    map.values().removeIf(router::equals);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Optional<String> routerOf(HwAddr mac) {
    return Optional.ofNullable(map.get(mac));
  }

  @Override
  public Map<HwAddr, String> loadAll() {
    return new TreeMap<>(map);
  }
}
