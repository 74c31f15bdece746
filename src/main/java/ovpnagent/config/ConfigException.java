package ovpnagent.config;

/** A bad agent configuration: the message names the file and the key. Exit status 2 at start. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String key;

  public ConfigException(String key, String message) {
    super(key == null || key.isEmpty() ? message : key + ": " + message);
    this.key = key;
  }

  public ConfigException(String key, String message, Throwable cause) {
    super(key == null || key.isEmpty() ? message : key + ": " + message, cause);
    this.key = key;
  }

  /** The dotted key path the problem is at ({@code dhcp.pool.start}), or empty. */
  public String key() {
    return key == null ? "" : key;
  }
}
