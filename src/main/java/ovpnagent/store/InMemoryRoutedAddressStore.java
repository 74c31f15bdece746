package ovpnagent.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routed-client addresses in a map, for tests and for running without a database.
 *
 * <ul>
 *   <li><b>Start:</b> empty.
 *   <li><b>Each write:</b> applied at once; its future is already complete.
 *   <li><b>Durability:</b> none; everything is lost with the process.
 * </ul>
 */
public final class InMemoryRoutedAddressStore implements RoutedAddressStore {
  private record Key(String instance, String commonName) {}

  private final Map<Key, RoutedAddress> map = new ConcurrentHashMap<>();

  @Override
  public CompletableFuture<Void> save(RoutedAddress a) {
    Objects.requireNonNull(a, "address");
    map.put(
        new Key(
            Objects.requireNonNull(a.instance(), "instance"),
            Objects.requireNonNull(a.commonName(), "commonName")),
        a);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> remove(String instance, String commonName) {
    map.remove(new Key(instance, commonName));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public List<RoutedAddress> loadAll(String instance) {
    List<RoutedAddress> out = new ArrayList<>();
    for (RoutedAddress a : map.values()) {
      if (a.instance().equals(instance)) {
        out.add(a);
      }
    }
    out.sort(
        Comparator.comparing((RoutedAddress a) -> a.ip(), Integer::compareUnsigned)
            .thenComparing(RoutedAddress::commonName));
    return out;
  }
}
