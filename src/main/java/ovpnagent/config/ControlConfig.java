package ovpnagent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The control socket the status CLI and hooks talk to, and what the management consoles share.
 *
 * @param socket unix socket path
 * @param group group allowed to connect (mode 0660), or null for root only
 * @param consoleIdleTimeout a management console session without input for this long is closed
 *     (frees one of its {@code ConsoleService.MAX_SESSIONS} slots); zero keeps sessions open
 */
public record ControlConfig(Path socket, String group, Duration consoleIdleTimeout) {
  /** The default {@code control.consoleIdleTimeout}. */
  public static final Duration DEFAULT_CONSOLE_IDLE = Duration.ofMinutes(15);

  public ControlConfig {
    Objects.requireNonNull(consoleIdleTimeout, "consoleIdleTimeout");
    if (consoleIdleTimeout.isNegative()) {
      throw new IllegalArgumentException("consoleIdleTimeout must not be negative");
    }
  }

  /** A control socket with the default console idle timeout. */
  public ControlConfig(Path socket, String group) {
    this(socket, group, DEFAULT_CONSOLE_IDLE);
  }
}
