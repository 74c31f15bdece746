package ovpnagent.boot;

import java.util.ArrayList;
import java.util.List;
import ovpnagent.config.AgentConfig;
import ovpnagent.instance.AgentPlan;
import ovpnagent.instance.InstancePlan;
import ovpnagent.link.BridgeService;
import ovpnagent.metrics.Metrics;

/**
 * Builds the agent's service list from a validated config and its plan, in start order: store,
 * bridge, DHCP (only when the gate allows it), management clients, control socket, metrics.
 */
final class Wiring {
  private final AgentConfig config;
  private final AgentPlan plan;
  private final Metrics metrics = new Metrics();

  Wiring(AgentConfig config, AgentPlan plan) {
    this.config = config;
    this.plan = plan;
  }

  List<Service> services() {
    List<Service> s = new ArrayList<>();
    List<String> taps = plan.bridgedTap().stream().map(InstancePlan::device).toList();
    if (!taps.isEmpty()) {
      s.add(BridgeService.forConfig(config.bridge(), taps, metrics));
    }
    return s;
  }
}
