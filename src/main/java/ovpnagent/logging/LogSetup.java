package ovpnagent.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import ovpnagent.config.LogConfig;

/**
 * Configures slf4j-simple from {@link LogConfig} through its system properties: level, file
 * (standard error when unset), ISO-8601 timestamps with offset, no thread names, the level in
 * brackets and the short logger name, giving lines like {@code 2026-11-22T17:40:01.123+00:00 [INFO]
 * DhcpServer - event=lease_granted mac=... ip=...}.
 *
 * <p><b>Must run before the first {@code LoggerFactory.getLogger} call in the process</b>:
 * slf4j-simple reads these properties once, when the first logger is created, and ignores later
 * changes. Call it first thing in {@code run}, before building any service (every class with a
 * {@code static final Logger} calls the factory when it is loaded). A property already set on the
 * command line ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}) wins over the config.
 */
public final class LogSetup {
  /** slf4j-simple's property prefix. */
  public static final String PREFIX = "org.slf4j.simpleLogger.";

  /** The timestamp pattern (ISO-8601 local time with offset, millisecond precision). */
  public static final String DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

  private LogSetup() {}

  /**
   * Sets the system properties for {@code config} (those not already set) and creates the log
   * file's directory.
   *
   * @throws IOException if the log file's directory cannot be created
   */
  public static void configure(LogConfig config) throws IOException {
    Map<String, String> props = properties(config);
    String file = props.get(PREFIX + "logFile");
    if (file != null && !file.equals("System.err") && !file.equals("System.out")) {
      Path parent = Path.of(file).toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    }
    props.forEach(
        (k, v) -> {
          if (System.getProperty(k) == null) {
            System.setProperty(k, v);
          }
        });
  }

  /** The slf4j-simple properties for {@code config}; pure. */
  public static Map<String, String> properties(LogConfig config) {
    Map<String, String> p = new LinkedHashMap<>();
    String level = config == null || config.level() == null ? "info" : config.level();
    p.put(PREFIX + "defaultLogLevel", level.toLowerCase(Locale.ROOT));
    p.put(
        PREFIX + "logFile", config == null || config.file() == null ? "System.err" : config.file());
    p.put(PREFIX + "showDateTime", "true");
    p.put(PREFIX + "dateTimeFormat", DATE_FORMAT);
    p.put(PREFIX + "showThreadName", "false");
    p.put(PREFIX + "levelInBrackets", "true");
    p.put(PREFIX + "showLogName", "false");
    p.put(PREFIX + "showShortLogName", "true");
    // chatty libraries stay at warn unless the agent itself is at debug or trace
    if (!level.equalsIgnoreCase("debug") && !level.equalsIgnoreCase("trace")) {
      p.put(PREFIX + "log.com.zaxxer.hikari", "warn");
      p.put(PREFIX + "log.org.h2", "warn");
    }
    return p;
  }
}
