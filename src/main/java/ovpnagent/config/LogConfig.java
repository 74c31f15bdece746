package ovpnagent.config;

/**
 * Logging.
 *
 * @param level one of error, warn, info, debug, trace
 * @param file log file, or null for standard error
 */
public record LogConfig(String level, String file) {}
