package ovpnagent.boot;

import java.util.ArrayList;
import java.util.List;
import ovpnagent.config.AgentConfig;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlServer;
import ovpnagent.instance.AgentPlan;
import ovpnagent.instance.InstancePlan;
import ovpnagent.link.BridgeService;
import ovpnagent.metrics.Metrics;
import ovpnagent.metrics.MetricsHttpService;
import ovpnagent.metrics.PrometheusRenderer;

/**
 * Builds the agent's service list from a validated config and its plan, in start order: store,
 * bridge, DHCP (only when the gate allows it), management clients, control socket, metrics.
 */
final class Wiring {
  private final AgentConfig config;
  private final AgentPlan plan;
  private final Metrics metrics = new Metrics();
  private final CommandRegistry registry = new CommandRegistry(metrics);

  Wiring(AgentConfig config, AgentPlan plan) {
    this.config = config;
    this.plan = plan;
  }

  List<Service> services() {
    List<Service> s = new ArrayList<>();
    StoreService store = new StoreService(config.store().url(), metrics);
    s.add(store);
    List<String> taps = plan.bridgedTap().stream().map(InstancePlan::device).toList();
    if (!taps.isEmpty()) {
      s.add(BridgeService.forConfig(config.bridge(), taps, metrics));
    }
    s.add(new ControlServer(config.control(), registry));
    s.add(new MetricsHttpService(config.metrics(), metrics, new PrometheusRenderer()));
    return s;
  }
}
