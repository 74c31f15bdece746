package ovpnagent.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One change for the {@link GroupCommitWriter}: a parameterized SQL statement (a constant string, so
 * consecutive changes of the same kind share one reused, batched statement) and the binding of its
 * parameters.
 */
record WriteOp(String sql, Binder binder) {
  /** Binds the parameters of one execution. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }
}
