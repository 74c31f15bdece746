package ovpnagent.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a new JDBC connection to the store's database. */
@FunctionalInterface
interface ConnectionFactory {
  Connection open() throws SQLException;
}
