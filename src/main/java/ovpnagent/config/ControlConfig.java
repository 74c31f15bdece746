package ovpnagent.config;

import java.nio.file.Path;

/**
 * The control socket the status CLI and hooks talk to.
 *
 * @param socket unix socket path
 * @param group group allowed to connect (mode 0660), or null for root only
 */
public record ControlConfig(Path socket, String group) {}
