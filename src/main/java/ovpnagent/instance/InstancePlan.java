package ovpnagent.instance;

import java.nio.file.Path;
import java.util.List;
import ovpnagent.config.InstanceConfig;
import ovpnagent.openvpn.conf.ManagementEndpoint;
import ovpnagent.openvpn.conf.ServerConf;

/**
 * What the agent will do for one OpenVPN instance.
 *
 * @param config the instance's entry in the agent config
 * @param conf the parsed OpenVPN server config
 * @param mode the derived mode
 * @param modeReason why that mode
 * @param warnings this instance's warnings
 */
public record InstancePlan(
    InstanceConfig config,
    ServerConf conf,
    InstanceMode mode,
    String modeReason,
    List<PlanWarning> warnings) {
  public InstancePlan {
    warnings = List.copyOf(warnings);
  }

  /** The instance name from the agent config. */
  public String name() {
    return config.name();
  }

  /** The OpenVPN config file. */
  public Path configFile() {
    return conf.source();
  }

  /** Where the agent attaches, or null if the config has no {@code management} directive. */
  public ManagementEndpoint management() {
    return conf.management();
  }

  /** The TUN/TAP device name ({@code dev}), or null. */
  public String device() {
    return conf.dev();
  }
}
