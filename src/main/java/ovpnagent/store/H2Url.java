package ovpnagent.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JDBC URL rules for the store's H2 databases (platform.md §7): a persistent H2 database must run
 * with {@code WRITE_DELAY=0} (otherwise a commit returns up to 500 ms before it reaches the OS and
 * {@code kill -9} loses acknowledged leases), {@code RETENTION_TIME} must be left at its default
 * (changing it lost acknowledged commits in measurements), and an embedded file is not closed by
 * H2's own shutdown hook ({@code DB_CLOSE_ON_EXIT=FALSE}) so that the store's close can drain its
 * queue first.
 */
final class H2Url {
  private H2Url() {}

  static boolean isH2(String url) {
    return url.regionMatches(true, 0, "jdbc:h2:", 0, 8);
  }

  /** True for an H2 URL whose data outlives the process (file, embedded or over TCP/SSL). */
  static boolean isPersistentH2(String url) {
    return isH2(url) && !lower(url).startsWith("jdbc:h2:mem:");
  }

  static boolean isEmbeddedFile(String url) {
    String l = lower(url);
    return isPersistentH2(url) && !l.startsWith("jdbc:h2:tcp:") && !l.startsWith("jdbc:h2:ssl:");
  }

  /**
   * The URL the store opens: for an embedded H2 file {@code WRITE_DELAY=0} (replacing another
   * value) and {@code DB_CLOSE_ON_EXIT=FALSE} (unless given) are set; other URLs are returned
   * unchanged.
   *
   * @throws StoreException if the URL sets {@code RETENTION_TIME}, or names an unnamed in-memory
   *     database (the writer and the reader must share it)
   */
  static String prepare(String url) {
    if (url == null || url.isBlank()) {
      throw new StoreException("store URL is empty");
    }
    if (!isH2(url)) {
      return url;
    }
    String[] parts = url.split(";", -1);
    String base = parts[0];
    if (lower(base).equals("jdbc:h2:mem:")) {
      throw new StoreException(
          "an unnamed in-memory H2 database cannot be shared by the store's writer and reader;"
              + " use jdbc:h2:mem:NAME");
    }
    List<String> settings = new ArrayList<>();
    boolean closeOnExit = false;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      if (p.isBlank()) {
        continue;
      }
      String key = p.split("=", 2)[0].trim().toUpperCase(Locale.ROOT);
      if (key.equals("RETENTION_TIME")) {
        throw new StoreException(
            "store URL sets RETENTION_TIME, which loses acknowledged leases on kill -9;"
                + " remove it (platform.md §7.4)");
      }
      if (key.equals("WRITE_DELAY") && isPersistentH2(url)) {
        continue; // replaced below
      }
      if (key.equals("DB_CLOSE_ON_EXIT")) {
        closeOnExit = true;
      }
      settings.add(p);
    }
    if (isEmbeddedFile(url)) {
      settings.add("WRITE_DELAY=0");
      if (!closeOnExit) {
        settings.add("DB_CLOSE_ON_EXIT=FALSE");
      }
    }
    return settings.isEmpty() ? base : base + ";" + String.join(";", settings);
  }

  /** The URL up to its first setting, safe to log (settings may carry a password). */
  static String forLog(String url) {
    if (url == null) {
      return "null";
    }
    int cut = url.length();
    for (char ch : new char[] {';', '?'}) {
      int i = url.indexOf(ch);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    return url.substring(0, cut);
  }

  /**
   * Sets {@code WRITE_DELAY} to 0 on a persistent H2 database and checks it in {@code
   * INFORMATION_SCHEMA.SETTINGS}.
   *
   * @throws StoreException if the setting is not 0 afterwards
   */
  static void ensureWriteDelayZero(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET WRITE_DELAY 0");
    }
    String value = writeDelay(c);
    if (!"0".equals(value)) {
      throw new StoreException(
          "H2 WRITE_DELAY is " + value + " after SET WRITE_DELAY 0; commits would not be durable");
    }
  }

  /** The database's current {@code WRITE_DELAY} as text, or null if H2 does not report it. */
  static String writeDelay(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      return rs.next() ? rs.getString(1).trim() : null;
    }
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
