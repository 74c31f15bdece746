package ovpnagent.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Persistence of the addresses pushed to routed-TUN clients, sticky per (instance, common name)
 * across reconnects and agent restarts. Writes complete when durable.
 */
public interface RoutedAddressStore {
  /**
   * One sticky address.
   *
   * @param releasedAtMs when the client disconnected (0 while connected); the address stays
   *     reserved for the name until the instance's grace period after this
   */
  record RoutedAddress(String instance, String commonName, int ip, long releasedAtMs) {}

  /** Inserts or replaces the address of (instance, common name). */
  CompletableFuture<Void> save(RoutedAddress address);

  /** Removes the address of (instance, common name). */
  CompletableFuture<Void> remove(String instance, String commonName);

  /** Every address of one instance. */
  List<RoutedAddress> loadAll(String instance);
}
