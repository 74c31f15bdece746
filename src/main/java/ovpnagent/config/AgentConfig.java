package ovpnagent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The whole agent configuration, parsed once at start by {@link ConfigLoader} and never changed
 * afterwards (a reload builds a new one).
 */
public record AgentConfig(
    Path source,
    Path stateDir,
    List<InstanceConfig> instances,
    BridgeConfig bridge,
    DhcpConfig dhcp,
    StoreConfig store,
    ControlConfig control,
    MetricsConfig metrics,
    LogConfig log,
    SitesConfig sites) {
  public AgentConfig {
    instances = List.copyOf(instances);
  }
}
