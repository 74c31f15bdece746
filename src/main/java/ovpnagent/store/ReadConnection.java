package ovpnagent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's read side: one auto-commit connection, separate from the writer's, used by one caller
 * at a time. Reads see committed state only. A failed read is reported as a {@link StoreException}
 * and the connection is reopened on the next read.
 */
final class ReadConnection {
  private static final Logger log = LoggerFactory.getLogger(ReadConnection.class);

  /** Maps the current row of a result set. */
  @FunctionalInterface
  interface RowMapper<T> {
    /** The value of the current row, or null to skip it. */
    T map(ResultSet rs) throws SQLException;
  }

  private final ConnectionFactory connections;
  private Connection conn;
  private boolean closed;

  ReadConnection(ConnectionFactory connections) {
    this.connections = connections;
  }

  /** Runs a query and maps every row (rows mapped to null are left out). */
  synchronized <T> List<T> query(String sql, WriteOp.Binder binder, RowMapper<T> mapper) {
    if (closed) {
      throw new StoreException("store is closed");
    }
    try {
      if (conn == null) {
        conn = connections.open();
        conn.setAutoCommit(true);
      }
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        binder.bind(ps);
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            T t = mapper.map(rs);
            if (t != null) {
              out.add(t);
            }
          }
        }
        return out;
      }
    } catch (SQLException e) {
      log.warn("event=store_read_failed error={}", e.toString());
      closeQuietly();
      throw new StoreException("store read failed: " + e.getMessage(), e);
    }
  }

  /** Closes the connection; later reads fail. Idempotent. */
  synchronized void close() {
    closed = true;
    closeQuietly();
  }

  private void closeQuietly() {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException e) {
        log.debug("event=store_read_close_failed error={}", e.toString());
      }
      conn = null;
    }
  }
}
