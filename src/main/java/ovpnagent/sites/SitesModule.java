package ovpnagent.sites;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.boot.Service;
import ovpnagent.config.BridgeConfig;
import ovpnagent.config.DhcpConfig;
import ovpnagent.config.SitesConfig;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlResponse;
import ovpnagent.dhcp.server.DhcpService;
import ovpnagent.dhcp.server.Subnet;
import ovpnagent.dhcp.server.SubnetSelector;
import ovpnagent.link.BridgeFdb;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.InstanceManagementService;
import ovpnagent.openvpn.mgmt.ManagementClient;
import ovpnagent.openvpn.mgmt.RouterListener;
import ovpnagent.openvpn.mgmt.RouterTable;
import ovpnagent.openvpn.mgmt.protocol.CommandResult;
import ovpnagent.openvpn.mgmt.protocol.StatusParser;
import ovpnagent.openvpn.mgmt.protocol.StatusSnapshot;
import ovpnagent.store.MappingStore;
import ovpnagent.store.SiteSubnetStore;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * The sites subsystem as a boot {@link Service} ({@code sites}), started after the store and the
 * bridge and before the DHCP server: loads the MAC map (always, for status and learn-address) and,
 * when {@code sites} is configured, the site subnets, their routes on the bridge and the {@link
 * RouterSubnetSelector} for the DHCP server. {@link #attach} connects each bridged instance's
 * management service (router events and the {@code status 3} query).
 */
public final class SitesModule implements Service {
  private static final Logger log = LoggerFactory.getLogger(SitesModule.class);
  private static final JsonNodeFactory J = JsonNodeFactory.instance;

  /** How long a DHCP packet from an unknown MAC is held while its router is resolved. */
  public static final Duration RESOLVE_WAIT = Duration.ofMillis(1500);

  /** The slow periodic {@code status 3} resync. */
  public static final Duration RESYNC_INTERVAL = Duration.ofMinutes(5);

  /** Packets held at most at a time. */
  public static final int MAX_HELD = 1024;

  /** Makes a site subnet reachable on the bridge ({@code ip route replace NET dev BRIDGE}). */
  @FunctionalInterface
  public interface RouteInstaller {
    /** Installs the route; throws on failure. */
    void ensureRoute(Cidr net) throws IOException;
  }

  private final SitesConfig sites;
  private final DhcpConfig dhcp;
  private final BridgeConfig bridge;
  private final Supplier<MappingStore> mappings;
  private final Supplier<SiteSubnetStore> siteStore;
  private final RouteInstaller routes;
  private final Metrics metrics;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Duration resolveWait;
  private final Map<String, Set<String>> connected = new ConcurrentHashMap<>();
  private final Map<String, RoutesQuery> pendingQueries = new ConcurrentHashMap<>();
  private volatile MacRouterMap map;
  private volatile RouterResolver resolver;
  private volatile SiteSubnets subnets;
  private volatile RouterSubnetSelector selector;
  private ExecutorService worker;
  private ScheduledFuture<?> resyncTask;

  /**
   * The module (nothing is loaded before {@link #start()}).
   *
   * @param mappings the MAC map store (read at start: the store service must have started)
   * @param siteStore the carved subnet store (same)
   * @param routes installs a route for each site subnet on the bridge
   */
  public SitesModule(
      SitesConfig sites,
      DhcpConfig dhcp,
      BridgeConfig bridge,
      Supplier<MappingStore> mappings,
      Supplier<SiteSubnetStore> siteStore,
      RouteInstaller routes,
      Metrics metrics,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this(sites, dhcp, bridge, mappings, siteStore, routes, metrics, scheduler, clock, RESOLVE_WAIT);
  }

  /** Same, with another resolve wait (tests). */
  public SitesModule(
      SitesConfig sites,
      DhcpConfig dhcp,
      BridgeConfig bridge,
      Supplier<MappingStore> mappings,
      Supplier<SiteSubnetStore> siteStore,
      RouteInstaller routes,
      Metrics metrics,
      ScheduledExecutorService scheduler,
      Clock clock,
      Duration resolveWait) {
    this.sites = sites;
    this.dhcp = dhcp;
    this.bridge = bridge;
    this.mappings = mappings;
    this.siteStore = siteStore;
    this.routes = routes;
    this.metrics = metrics;
    this.scheduler = scheduler;
    this.clock = clock;
    this.resolveWait = resolveWait;
  }

  @Override
  public String name() {
    return "sites";
  }

  @Override
  public synchronized void start() {
    worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sites-worker");
              t.setDaemon(true);
              return t;
            });
    MacRouterMap m = new MacRouterMap(mappings.get(), clock::millis);
    int loaded = m.load();
    RouterResolver r = new RouterResolver(m, scheduler, resolveWait);
    pendingQueries.forEach(r::register);
    resolver = r;
    map = m;
    metrics.gauge("sites.macs", m::size);
    metrics.gauge("sites.router_resolve.timeouts", () -> r.stats().timeouts());
    metrics.gauge("sites.router_resolve.rounds", () -> r.stats().rounds());
    int carved = 0;
    if (sites.enabled()) {
      SiteSubnets s =
          new SiteSubnets(
              sites,
              siteStore.get(),
              bridge.address(),
              new SiteSubnets.Defaults(
                  bridge.address().address(),
                  dhcp.dnsServers(),
                  dhcp.domainName(),
                  dhcp.leaseTime()));
      carved = s.load();
      s.addListener(this::installRoute);
      s.all().forEach(this::installRoute);
      m.addListener((mac, router) -> carveLater(router));
      subnets = s;
      selector =
          new RouterSubnetSelector(
              DhcpService.bridgeSubnet(dhcp, bridge),
              s,
              m,
              r,
              worker,
              MAX_HELD,
              RouterSubnetSelector.FRESH,
              BridgeFdb.of(bridge.name(), bridge.lanInterfaces())::onLanPort);
    }
    resyncTask =
        scheduler.scheduleWithFixedDelay(
            () -> resolver.resyncAll(),
            RESYNC_INTERVAL.toMillis(),
            RESYNC_INTERVAL.toMillis(),
            TimeUnit.MILLISECONDS);
    log.info(
        "event=sites_started enabled={} macs_loaded={} site_subnets={} carved_loaded={}",
        sites.enabled(),
        loaded,
        subnets == null ? 0 : subnets.all().size(),
        carved);
  }

  @Override
  public synchronized void close() {
    if (resyncTask != null) {
      resyncTask.cancel(false);
      resyncTask = null;
    }
    if (worker != null) {
      worker.shutdownNow();
    }
  }

  /** The DHCP server's selector, or null when sites are not configured (bridge pool as before). */
  public SubnetSelector selector() {
    return selector;
  }

  /** The MAC map (null before start). */
  public MacRouterMap map() {
    return map;
  }

  /** The resolver (null before start). */
  public RouterResolver resolver() {
    return resolver;
  }

  /** The site subnets (null before start or when sites are not configured). */
  public SiteSubnets subnets() {
    return subnets;
  }

  /**
   * Connects one bridged instance's management service: router events feed the map, and {@code
   * status 3} through its client becomes the instance's {@link RoutesQuery}. Call before the
   * management service starts.
   */
  public void attach(InstanceManagementService svc) {
    String instance = svc.name().startsWith("mgmt:") ? svc.name().substring(5) : svc.name();
    svc.setRouterListener(listener(instance));
    registerQuery(instance, statusQuery(svc::client));
  }

  /** Registers the {@code status 3} query of one instance (also before start). */
  public void registerQuery(String instance, RoutesQuery query) {
    pendingQueries.put(instance, query);
    RouterResolver r = resolver;
    if (r != null) {
      r.register(instance, query);
    }
  }

  /** The router listener of one instance (events before start are ignored). */
  public RouterListener listener(String instance) {
    return new RouterListener() {
      @Override
      public void onRouterUp(RouterTable.Router router) {
        connected
            .computeIfAbsent(instance, k -> ConcurrentHashMap.newKeySet())
            .add(router.commonName());
        carveLater(router.commonName());
      }

      @Override
      public void onRouterGone(String commonName) {
        Set<String> c = connected.get(instance);
        if (c != null) {
          c.remove(commonName);
        }
        MacRouterMap m = map;
        if (m != null) {
          int n = m.routerGone(commonName);
          log.info(
              "event=router_macs_cleared instance={} router={} macs={}", instance, commonName, n);
        }
      }

      @Override
      public void onRoutingTable(long epoch, List<StatusSnapshot.RouteRow> rows) {
        MacRouterMap m = map;
        if (m != null) {
          int changes = m.resync(instance, macRows(rows));
          log.info(
              "event=mac_router_resync instance={} epoch={} rows={} changes={}",
              instance,
              epoch,
              rows.size(),
              changes);
        }
      }
    };
  }

  /** A {@link RoutesQuery} sending {@code status 3} through the client {@code client} supplies. */
  public static RoutesQuery statusQuery(Supplier<ManagementClient> client) {
    return () -> {
      ManagementClient c = client.get();
      if (c == null) {
        return CompletableFuture.failedFuture(new IOException("management client not started"));
      }
      return c.commandAsync(List.of("status 3"), CommandResult.Kind.MULTI_LINE)
          .thenApply(
              res -> {
                if (!res.success()) {
                  throw new CompletionException(new IOException("status 3: " + res.message()));
                }
                return macRows(StatusParser.parse(res.lines()).routes());
              });
    };
  }

  /** The MAC rows of a ROUTING_TABLE as MAC → common name (IP rows of TUN instances left out). */
  public static Map<HwAddr, String> macRows(List<StatusSnapshot.RouteRow> rows) {
    Map<HwAddr, String> out = new HashMap<>();
    for (StatusSnapshot.RouteRow r : rows) {
      if (r.mac() != null && r.commonName() != null && !r.commonName().isEmpty()) {
        out.put(r.mac(), r.commonName());
      }
    }
    return out;
  }

  /**
   * Registers {@code learn-address} and {@code routers-get} and the {@code sites} status section.
   */
  public void registerCommands(CommandRegistry registry) {
    registry.register(
        "learn-address",
        "MAC learned/moved/forgotten by OpenVPN (hooks/learn-address); arguments: op, addr, cn,"
            + " dev, instance",
        new LearnAddressCommand(() -> map));
    registry.register(
        "routers-get",
        "routers of bridged instances with their subnet, MAC count and connection state",
        args -> {
          ObjectNode res = J.objectNode();
          res.set("routers", routersJson());
          return ControlResponse.ok(res);
        });
    registry.addStatusSection("sites", this::statusJson);
  }

  ArrayNode routersJson() {
    Set<String> names = new TreeSet<>();
    MacRouterMap m = map;
    SiteSubnets s = subnets;
    Map<String, Integer> counts = m == null ? Map.of() : m.countsByRouter();
    names.addAll(counts.keySet());
    if (s != null) {
      names.addAll(s.byRouter().keySet());
    }
    Map<String, String> online = new HashMap<>();
    connected.forEach((inst, cns) -> cns.forEach(cn -> online.put(cn, inst)));
    names.addAll(online.keySet());
    ArrayNode out = J.arrayNode();
    for (String n : names) {
      ObjectNode o = out.addObject();
      o.put("name", n);
      Subnet sub = s == null ? null : s.peek(n);
      if (sub == null) {
        o.putNull("subnet");
      } else {
        o.put("subnet", sub.network().toString());
        o.put("gateway", Ipv4.format(sub.excluded().get(0)));
        o.put("carved", s.isCarved(n));
      }
      o.put("macs", counts.getOrDefault(n, 0));
      o.put("connected", online.containsKey(n));
      if (online.containsKey(n)) {
        o.put("instance", online.get(n));
      }
    }
    return out;
  }

  ObjectNode statusJson() {
    ObjectNode o = J.objectNode();
    o.put("enabled", sites.enabled());
    MacRouterMap m = map;
    RouterResolver r = resolver;
    if (m == null || r == null) {
      o.put("started", false);
      return o;
    }
    o.put("macs", m.size());
    o.put("routers", routersJson().size());
    o.put("site_subnets", subnets == null ? 0 : subnets.all().size());
    o.put("held", selector == null ? 0 : selector.held());
    o.put("store_errors", m.storeErrors());
    RouterResolver.Stats st = r.stats();
    ObjectNode res = o.putObject("resolver");
    res.put("instances", r.instances().size());
    res.put("rounds", st.rounds());
    res.put("resolved", st.resolved());
    res.put("timeouts", st.timeouts());
    res.put("query_failures", st.queryFailures());
    res.put("waiting", st.waiting());
    return o;
  }

  private void carveLater(String router) {
    SiteSubnets s = subnets;
    ExecutorService w = worker;
    if (s == null || w == null || s.peek(router) != null || sites.supernet() == null) {
      return;
    }
    try {
      w.execute(() -> s.subnetOf(router));
    } catch (RuntimeException e) {
      log.debug("event=site_carve_not_scheduled router={} error=\"{}\"", router, e.toString());
    }
  }

  private void installRoute(Subnet s) {
    Cidr net = s.network();
    if (net.prefix() >= bridge.address().prefix() && bridge.address().contains(net.network())) {
      return;
    }
    try {
      routes.ensureRoute(net);
      log.info("event=site_route_ensured router={} net={} dev={}", s.name(), net, bridge.name());
    } catch (IOException | RuntimeException e) {
      metrics.inc("sites.route_errors");
      log.warn(
          "event=site_route_failed router={} net={} dev={} error=\"{}\"",
          s.name(),
          net,
          bridge.name(),
          e.getMessage());
    }
  }
}
