package ovpnagent.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * The {@code lease} table of an {@link H2Store}, one row per address.
 *
 * <ul>
 *   <li><b>Start:</b> nothing is cached; the DHCP server calls {@link #loadAll()} once (ordered by
 *       address) to build its own index. Rows with an unknown state are logged and skipped.
 *   <li><b>Each write:</b> {@link #save} (H2's {@code MERGE ... KEY (ip)}, an upsert by address;
 *       cheaper in H2 than the SQL-standard {@code MERGE ... USING}) and {@link #delete} are queued
 *       to the store's single writer, which commits every change queued at that moment in one
 *       transaction and then completes their futures; of several changes to one address in the same
 *       transaction only the last is executed. Reads go through a separate connection and see
 *       committed rows only.
 *   <li><b>Durability:</b> a future completes normally only after its commit returned with {@code
 *       WRITE_DELAY=0}, so the change survives {@code kill -9} of the agent (not power loss or a
 *       kernel crash). A future that completes with {@link StoreException} was not written; a full
 *       queue or a closed store fails at once.
 * </ul>
 */
public final class H2LeaseStore implements LeaseStore {
  private static final Logger log = LoggerFactory.getLogger(H2LeaseStore.class);
  private static final String COLUMNS =
      "ip, client_key, mac, state, updated_at, expires_at, router, hostname";

  static final String UPSERT =
      "MERGE INTO lease (ip, client_key, mac, state, updated_at, expires_at, router, hostname)"
          + " KEY (ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  static final String DELETE = "DELETE FROM lease WHERE ip = ?";

  /** Key of a lease row, for coalescing changes to one address within a batch. */
  private record RowKey(int ip) {}

  private final GroupCommitWriter writer;
  private final ReadConnection reader;

  H2LeaseStore(GroupCommitWriter writer, ReadConnection reader) {
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public List<Lease> loadAll() {
    return reader.query("SELECT " + COLUMNS + " FROM lease ORDER BY ip", ps -> {}, this::row);
  }

  @Override
  public CompletableFuture<Void> save(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    String tooLong = tooLong(lease);
    if (tooLong != null) {
      return CompletableFuture.failedFuture(
          new StoreException("lease " + tooLong + " longer than " + Schema.MAX_TEXT));
    }
    return writer.submit(new WriteOp(UPSERT, ps -> bind(ps, lease), new RowKey(lease.ip())));
  }

  @Override
  public CompletableFuture<Void> delete(int ip) {
    return writer.submit(
        new WriteOp(DELETE, ps -> ps.setLong(1, Integer.toUnsignedLong(ip)), new RowKey(ip)));
  }

  @Override
  public Optional<Lease> get(int ip) {
    List<Lease> l =
        reader.query(
            "SELECT " + COLUMNS + " FROM lease WHERE ip = ?",
            ps -> ps.setLong(1, Integer.toUnsignedLong(ip)),
            this::row);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  @Override
  public List<Lease> findByClient(String clientKey) {
    return reader.query(
        "SELECT " + COLUMNS + " FROM lease WHERE client_key = ? ORDER BY ip",
        ps -> ps.setString(1, clientKey == null ? "" : clientKey),
        this::row);
  }

  /** Does nothing: the {@link H2Store} that made this table is closed by its owner. */
  @Override
  public void close() {}

  private static String tooLong(Lease l) {
    if (l.clientKey().length() > Schema.MAX_TEXT) {
      return "client key";
    }
    if (l.router() != null && l.router().length() > Schema.MAX_TEXT) {
      return "router";
    }
    if (l.hostname() != null && l.hostname().length() > Schema.MAX_TEXT) {
      return "hostname";
    }
    return null;
  }

  private static void bind(PreparedStatement ps, Lease l) throws SQLException {
    ps.setLong(1, Integer.toUnsignedLong(l.ip()));
    ps.setString(2, l.clientKey());
    setNullable(ps, 3, l.mac() == null ? null : l.mac().toString());
    ps.setString(4, l.state().name());
    ps.setLong(5, l.updatedAt());
    ps.setLong(6, l.expiresAt());
    setNullable(ps, 7, l.router());
    setNullable(ps, 8, l.hostname());
  }

  static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  private Lease row(ResultSet rs) throws SQLException {
    long ip = rs.getLong(1);
    String stateText = rs.getString(4);
    LeaseState state;
    HwAddr mac;
    try {
      state = LeaseState.valueOf(stateText);
      String m = rs.getString(3);
      mac = m == null ? null : HwAddr.parse(m);
    } catch (IllegalArgumentException e) {
      log.warn(
          "event=store_lease_row_skipped ip={} reason={}", Ipv4.format((int) ip), e.getMessage());
      return null;
    }
    return new Lease(
        (int) ip,
        rs.getString(2),
        mac,
        state,
        rs.getLong(5),
        rs.getLong(6),
        rs.getString(7),
        rs.getString(8));
  }
}
