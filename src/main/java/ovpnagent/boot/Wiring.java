package ovpnagent.boot;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import ovpnagent.config.AgentConfig;
import ovpnagent.console.ConsoleService;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlServer;
import ovpnagent.dhcp.server.DhcpService;
import ovpnagent.dhcp.server.SubnetSelector;
import ovpnagent.dhcp.server.UdpPacketIo;
import ovpnagent.instance.AgentPlan;
import ovpnagent.instance.InstanceMode;
import ovpnagent.instance.InstancePlan;
import ovpnagent.link.BridgeService;
import ovpnagent.metrics.Metrics;
import ovpnagent.metrics.MetricsHttpService;
import ovpnagent.metrics.PrometheusRenderer;
import ovpnagent.openvpn.conf.ManagementEndpoint;
import ovpnagent.openvpn.mgmt.InstanceManagementService;
import ovpnagent.sites.SitesModule;

/**
 * Builds the agent's service list from a validated config and its plan, in start order: scheduler,
 * store, bridge, DHCP (only when the gate allows it), management clients, control socket,
 * management consoles, metrics. Stop order is the reverse: the store closes last, after every
 * writer is gone.
 */
final class Wiring {
  private final AgentConfig config;
  private final AgentPlan plan;
  private final Metrics metrics = new Metrics();
  private SitesModule sites;
  private final CommandRegistry registry = new CommandRegistry(metrics);
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "agent-scheduler");
            t.setDaemon(true);
            return t;
          });

  Wiring(AgentConfig config, AgentPlan plan) {
    this.config = config;
    this.plan = plan;
  }

  List<Service> services() {
    List<Service> s = new ArrayList<>();
    s.add(schedulerService());
    StoreService store = new StoreService(config.store().url(), metrics);
    s.add(store);
    List<String> taps = plan.bridgedTap().stream().map(InstancePlan::device).toList();
    BridgeService bridge =
        taps.isEmpty() ? null : BridgeService.forConfig(config.bridge(), taps, metrics);
    if (bridge != null) {
      s.add(bridge);
    }
    DeviceUpCommand.register(registry, plan, config.bridge(), bridge, taps);
    sites = sitesModule(store, bridge);
    s.add(sites);
    sites.registerCommands(registry);
    Deferred<DhcpService> dhcp = null;
    if (plan.dhcp().binds()) {
      dhcp =
          new Deferred<>(
              "dhcp:" + config.bridge().name(),
              () ->
                  new DhcpService(
                      config.dhcp(),
                      config.bridge(),
                      store.store().leases(),
                      metrics,
                      UdpPacketIo.factory(),
                      clock,
                      scheduler,
                      sites.selector() != null
                          ? sites.selector()
                          : SubnetSelector.of(
                              DhcpService.bridgeSubnet(config.dhcp(), config.bridge()),
                              List.of())));
      s.add(dhcp);
    }
    DhcpCommands.register(registry, dhcp, config.bridge().name(), plan.dhcp().reason());
    List<Deferred<InstanceManagementService>> mgmt = new ArrayList<>();
    List<ConsoleService> consoles = new ArrayList<>();
    for (InstancePlan p : plan.instances()) {
      boolean bridged = p.mode() == InstanceMode.BRIDGED_TAP;
      if (p.management() == null || !(bridged || p.mode() == InstanceMode.ROUTED_TUN)) {
        continue;
      }
      Deferred<InstanceManagementService> d =
          new Deferred<>(
              "mgmt:" + p.name(),
              () -> {
                InstanceManagementService svc =
                    new InstanceManagementService(
                        p.config(),
                        endpoint(p.management()),
                        p.conf().topology() == null ? null : p.conf().topology().directive(),
                        bridged,
                        store.store().routed(),
                        metrics,
                        clock,
                        scheduler);
                if (bridged) {
                  sites.attach(svc); // MAC->router events and the status 3 query
                }
                return svc;
              });
      mgmt.add(d);
      s.add(d);
      if (p.config().console() != null) {
        consoles.add(
            new ConsoleService(
                p.name(),
                p.config().console(),
                config.control().group(),
                config.control().consoleIdleTimeout(),
                () -> d.get() == null ? null : d.get().client(),
                registry,
                metrics));
      }
    }
    MgmtCommands.register(registry, plan, mgmt);
    s.add(new ControlServer(config.control(), registry));
    s.addAll(consoles);
    s.add(new MetricsHttpService(config.metrics(), metrics, new PrometheusRenderer()));
    return s;
  }

  /**
   * The sites module (MAC map always; per-router subnets when {@code sites} is configured); every
   * bridged instance's management service is attached to it before it starts.
   */
  SitesModule sites() {
    return sites;
  }

  private SitesModule sitesModule(StoreService store, BridgeService bridge) {
    String dev = config.bridge().name();
    return new SitesModule(
        config.sites(),
        config.dhcp(),
        config.bridge(),
        () -> store.store().mappings(),
        () -> store.store().sites(),
        net -> {
          if (bridge == null) {
            throw new java.io.IOException("no bridged instance: bridge " + dev + " not managed");
          }
          bridge.links().ensureRoute(dev, net);
        },
        metrics,
        scheduler,
        clock);
  }

  private static ovpnagent.openvpn.mgmt.ManagementEndpoint endpoint(ManagementEndpoint e) {
    return e.kind() == ManagementEndpoint.Kind.UNIX
        ? ovpnagent.openvpn.mgmt.ManagementEndpoint.unix(e.unixPath(), e.passwordFile())
        : ovpnagent.openvpn.mgmt.ManagementEndpoint.tcp(e.host(), e.port(), e.passwordFile());
  }

  private Service schedulerService() {
    return new Service() {
      @Override
      public String name() {
        return "scheduler";
      }

      @Override
      public void start() {}

      @Override
      public void close() {
        scheduler.shutdownNow();
        try {
          scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
