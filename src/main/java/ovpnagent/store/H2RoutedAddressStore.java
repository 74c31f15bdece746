package ovpnagent.store;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code routed_address} table of an {@link H2Store}: the sticky address of each (instance,
 * common name) of routed-TUN instances.
 *
 * <ul>
 *   <li><b>Start:</b> nothing is cached; each instance calls {@link #loadAll(String)} once, ordered
 *       by address.
 *   <li><b>Each write:</b> queued to the store's single writer and committed together with whatever
 *       else is queued, in submission order.
 *   <li><b>Durability:</b> as {@link H2LeaseStore}: a normally completed future means committed
 *       with {@code WRITE_DELAY=0}, surviving {@code kill -9}.
 * </ul>
 */
public final class H2RoutedAddressStore implements RoutedAddressStore {
  static final String UPSERT =
      "MERGE INTO routed_address (instance, common_name, ip, released_at)"
          + " KEY (instance, common_name) VALUES (?, ?, ?, ?)";

  static final String DELETE = "DELETE FROM routed_address WHERE instance = ? AND common_name = ?";

  private final GroupCommitWriter writer;
  private final ReadConnection reader;

  H2RoutedAddressStore(GroupCommitWriter writer, ReadConnection reader) {
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public CompletableFuture<Void> save(RoutedAddress a) {
    Objects.requireNonNull(a, "address");
    Objects.requireNonNull(a.instance(), "instance");
    Objects.requireNonNull(a.commonName(), "commonName");
    if (a.instance().length() > Schema.MAX_TEXT || a.commonName().length() > Schema.MAX_TEXT) {
      return CompletableFuture.failedFuture(
          new StoreException("instance or common name longer than " + Schema.MAX_TEXT));
    }
    return writer.submit(
        new WriteOp(
            UPSERT,
            ps -> {
              ps.setString(1, a.instance());
              ps.setString(2, a.commonName());
              ps.setLong(3, Integer.toUnsignedLong(a.ip()));
              ps.setLong(4, a.releasedAtMs());
            }));
  }

  @Override
  public CompletableFuture<Void> remove(String instance, String commonName) {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(commonName, "commonName");
    return writer.submit(
        new WriteOp(
            DELETE,
            ps -> {
              ps.setString(1, instance);
              ps.setString(2, commonName);
            }));
  }

  @Override
  public List<RoutedAddress> loadAll(String instance) {
    return reader.query(
        "SELECT instance, common_name, ip, released_at FROM routed_address"
            + " WHERE instance = ? ORDER BY ip, common_name",
        ps -> ps.setString(1, instance),
        rs ->
            new RoutedAddress(
                rs.getString(1), rs.getString(2), (int) rs.getLong(3), rs.getLong(4)));
  }
}
