package ovpnagent.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.util.HwAddr;

/**
 * The {@code mac_router} table of an {@link H2Store}: which router (common name) carried which MAC.
 *
 * <ul>
 *   <li><b>Start:</b> nothing is cached; the owner calls {@link #loadAll()} once for its in-memory
 *       copy. Rows with an unparsable MAC are logged and skipped.
 *   <li><b>Each write:</b> queued to the store's single writer and committed, in submission order,
 *       together with whatever else is queued; {@link #removeRouter} is one {@code DELETE} by
 *       router.
 *   <li><b>Durability:</b> as {@link H2LeaseStore}: a normally completed future means committed
 *       with {@code WRITE_DELAY=0}, surviving {@code kill -9}.
 * </ul>
 */
public final class H2MappingStore implements MappingStore {
  private static final Logger log = LoggerFactory.getLogger(H2MappingStore.class);

  static final String UPSERT =
      "MERGE INTO mac_router (mac, router, seen_at) KEY (mac) VALUES (?, ?, ?)";

  static final String DELETE = "DELETE FROM mac_router WHERE mac = ?";
  static final String DELETE_ROUTER = "DELETE FROM mac_router WHERE router = ?";

  private final GroupCommitWriter writer;
  private final ReadConnection reader;

  H2MappingStore(GroupCommitWriter writer, ReadConnection reader) {
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public CompletableFuture<Void> put(HwAddr mac, String router, long seenAtMs) {
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(router, "router");
    if (router.length() > Schema.MAX_TEXT) {
      return CompletableFuture.failedFuture(
          new StoreException("router name longer than " + Schema.MAX_TEXT));
    }
    String m = mac.toString();
    return writer.submit(
        new WriteOp(
            UPSERT,
            ps -> {
              ps.setString(1, m);
              ps.setString(2, router);
              ps.setLong(3, seenAtMs);
            }));
  }

  @Override
  public CompletableFuture<Void> remove(HwAddr mac) {
    String m = Objects.requireNonNull(mac, "mac").toString();
    return writer.submit(new WriteOp(DELETE, ps -> ps.setString(1, m)));
  }

  @Override
  public CompletableFuture<Void> removeRouter(String router) {
    Objects.requireNonNull(router, "router");
    return writer.submit(new WriteOp(DELETE_ROUTER, ps -> ps.setString(1, router)));
  }

  @Override
  public Optional<String> routerOf(HwAddr mac) {
    String m = Objects.requireNonNull(mac, "mac").toString();
    List<String> r =
        reader.query(
            "SELECT router FROM mac_router WHERE mac = ?",
            ps -> ps.setString(1, m),
            rs -> rs.getString(1));
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  @Override
  public Map<HwAddr, String> loadAll() {
    Map<HwAddr, String> out = new TreeMap<>();
    reader.query(
        "SELECT mac, router FROM mac_router",
        ps -> {},
        rs -> {
          put(out, rs);
          return null;
        });
    return out;
  }

  private static void put(Map<HwAddr, String> out, ResultSet rs) throws SQLException {
    String m = rs.getString(1);
    try {
      out.put(HwAddr.parse(m), rs.getString(2));
    } catch (IllegalArgumentException e) {
      log.warn("event=store_mapping_row_skipped reason={}", e.getMessage());
    }
  }
}
