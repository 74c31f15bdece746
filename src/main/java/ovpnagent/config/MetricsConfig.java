package ovpnagent.config;

/**
 * The Prometheus text endpoint.
 *
 * @param listen host:port to listen on (loopback by default), or null when disabled
 */
public record MetricsConfig(String listen) {}
