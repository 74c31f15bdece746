package ovpnagent.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Persistence of DHCP leases, one row per address. The DHCP server keeps its own in-memory index
 * and uses the store to load it at start and to make changes durable: a reply that depends on a
 * change (an ACK) is sent only when the change's future has completed.
 *
 * <p>Implementations may group many changes into one commit; each future completes (normally or
 * with a {@link StoreException}) only after the change is durable or has failed.
 */
public interface LeaseStore extends AutoCloseable {
  /** Every stored lease, for the server's index at start. */
  List<Lease> loadAll();

  /** Inserts or replaces the lease for {@code lease.ip()}; completes when durable. */
  CompletableFuture<Void> save(Lease lease);

  /** Removes the lease for an address; completes when durable. */
  CompletableFuture<Void> delete(int ip);

  /** The stored lease for an address (committed state). */
  Optional<Lease> get(int ip);

  /** The stored leases of one client key. */
  List<Lease> findByClient(String clientKey);

  @Override
  void close();
}
