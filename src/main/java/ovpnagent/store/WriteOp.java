package ovpnagent.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One change for the {@link GroupCommitWriter}: a parameterized SQL statement (a constant string,
 * so consecutive changes of the same kind share one reused, batched statement), the binding of its
 * parameters, and an optional row key. Changes with equal non-null keys must each replace the whole
 * row (upsert or delete by that key, and no other change touches the row under another key): the
 * writer then executes only the last of them in a batch, since the earlier ones would be
 * overwritten in the same transaction anyway.
 */
record WriteOp(String sql, Binder binder, Object key) {
  /** A change that is always executed. */
  WriteOp(String sql, Binder binder) {
    this(sql, binder, null);
  }

  /** Binds the parameters of one execution. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }
}
