package ovpnagent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import ovpnagent.util.Cidr;

/**
 * One entry of {@code openvpn.configs}: the OpenVPN server config path plus that instance's agent
 * settings. In JSON the entry is either a path string or an object {@code {"config": PATH, ...}}.
 *
 * @param config the OpenVPN server config file
 * @param name a short name for logs and the CLI (defaults to the file name without {@code .conf})
 * @param routedPool for routed-TUN instances, the pool addresses are pushed from ({@code
 *     routed.pool})
 * @param push extra lines sent in every client-auth body (e.g. {@code push "route 198.19.200.0
 *     255.255.255.0"})
 * @param auth who may connect
 * @param console path of this instance's management console socket, or null
 * @param releaseGrace how long a routed address stays reserved for a name after DISCONNECT
 */
public record InstanceConfig(
    Path config,
    String name,
    Cidr routedPool,
    List<String> push,
    AuthPolicy auth,
    Path console,
    Duration releaseGrace) {
  public InstanceConfig {
    push = List.copyOf(push);
  }
}
