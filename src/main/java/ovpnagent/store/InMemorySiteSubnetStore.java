package ovpnagent.store;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ovpnagent.util.Cidr;

/**
 * Carved site subnets in a map, for tests and for running without a database.
 *
 * <ul>
 *   <li><b>Start:</b> empty.
 *   <li><b>Each write:</b> applied at once; its future is already complete.
 *   <li><b>Durability:</b> none; everything is lost with the process.
 * </ul>
 */
public final class InMemorySiteSubnetStore implements SiteSubnetStore {
  private final Map<String, Cidr> map = new ConcurrentHashMap<>();

  @Override
  public CompletableFuture<Void> save(String router, Cidr subnet) {
    map.put(Objects.requireNonNull(router, "router"), Objects.requireNonNull(subnet, "subnet"));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Map<String, Cidr> loadAll() {
    return new TreeMap<>(map);
  }
}
