package ovpnagent.routed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ovpnagent.store.RoutedAddressStore;
import ovpnagent.store.StoreException;

/**
 * Test double of {@link RoutedAddressStore}: a map, writes complete at once, can be told to fail.
 */
public final class InMemoryRoutedAddressStore implements RoutedAddressStore {
  private final Map<String, RoutedAddress> rows = new ConcurrentHashMap<>();
  private volatile boolean failing;

  /** Makes every following call fail (true) or succeed again (false). */
  public void setFailing(boolean failing) {
    this.failing = failing;
  }

  @Override
  public CompletableFuture<Void> save(RoutedAddress address) {
    if (failing) {
      return CompletableFuture.failedFuture(new StoreException("store down (test)", null));
    }
    rows.put(address.instance() + "/" + address.commonName(), address);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> remove(String instance, String commonName) {
    if (failing) {
      return CompletableFuture.failedFuture(new StoreException("store down (test)", null));
    }
    rows.remove(instance + "/" + commonName);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public List<RoutedAddress> loadAll(String instance) {
    if (failing) {
      throw new StoreException("store down (test)", null);
    }
    List<RoutedAddress> out = new ArrayList<>();
    rows.values()
        .forEach(
            r -> {
              if (r.instance().equals(instance)) {
                out.add(r);
              }
            });
    return out;
  }

  /** The saved row of (instance, name), or null. */
  public RoutedAddress get(String instance, String commonName) {
    return rows.get(instance + "/" + commonName);
  }
}
