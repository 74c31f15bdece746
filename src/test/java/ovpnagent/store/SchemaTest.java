package ovpnagent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaTest {
  private Connection c;

  @BeforeEach
  void connect() throws Exception {
    c = DriverManager.getConnection("jdbc:h2:mem:schema-" + System.nanoTime());
  }

  @AfterEach
  void disconnect() throws Exception {
    c.close();
  }

  private List<String> tables() throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT LOWER(TABLE_NAME) FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void newDatabaseGetsEveryTableAndTheCurrentVersion() throws Exception {
    assertEquals(0, Schema.migrate(c));
    assertEquals(List.of("lease", "mac_router", "meta", "routed_address", "site_subnet"), tables());
    assertEquals(Schema.VERSION, Schema.storedVersion(c));
    assertTrue(c.getAutoCommit(), "auto-commit mode must be restored");
  }

  @Test
  void migratingTwiceChangesNothing() throws Exception {
    Schema.migrate(c);
    assertEquals(Schema.VERSION, Schema.migrate(c));
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM meta")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
    }
  }

  @Test
  void onlyMigrationsAboveTheStoredVersionRunInOrder() throws Exception {
    List<List<String>> v1 = List.of(List.of("CREATE TABLE t (a INT)"));
    assertEquals(0, Schema.migrate(c, v1));
    List<List<String>> v3 =
        List.of(
            List.of("CREATE TABLE t (a INT)"), // would fail if run again
            List.of("ALTER TABLE t ADD COLUMN b INT"),
            List.of("INSERT INTO t (a, b) VALUES (1, 2)", "UPDATE t SET b = b + 40"));
    assertEquals(1, Schema.migrate(c, v3));
    assertEquals(3, Schema.storedVersion(c));
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT b FROM t")) {
      rs.next();
      assertEquals(42, rs.getInt(1));
    }
  }

  @Test
  void aNewerStoredVersionIsRefused() throws Exception {
    Schema.migrate(c);
    try (Statement st = c.createStatement()) {
      st.execute("UPDATE meta SET version = " + (Schema.VERSION + 1));
    }
    StoreException e = assertThrows(StoreException.class, () -> Schema.migrate(c));
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
  }
}
