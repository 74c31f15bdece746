package ovpnagent.sites;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.config.SitesConfig;
import ovpnagent.dhcp.server.Subnet;
import ovpnagent.store.SiteSubnetStore;
import ovpnagent.util.Cidr;
import ovpnagent.util.Ipv4;

/**
 * Router common name → its site {@link Subnet}: configured in {@code sites.routers} (with an
 * optional gateway, else the first host), or carved on first sight from {@code sites.supernet} in
 * blocks of {@code sites.prefixLength}, never overlapping a configured subnet, the bridge subnet or
 * an earlier carve, and persisted in the {@link SiteSubnetStore} before use so a name keeps its
 * subnet for ever. Listeners hear every subnet created after {@link #load}. Thread-safe.
 */
public final class SiteSubnets {
  private static final Logger log = LoggerFactory.getLogger(SiteSubnets.class);
  private static final long SAVE_TIMEOUT_MS = 5000;

  /** The per-subnet settings shared by every site: server id and the options of the bridge. */
  public record Defaults(
      int serverId, List<Integer> dnsServers, String domainName, Duration lease) {
    public Defaults {
      dnsServers = List.copyOf(dnsServers);
    }
  }

  private final SitesConfig config;
  private final SiteSubnetStore store;
  private final Cidr bridge;
  private final Defaults defaults;
  private final Map<String, Subnet> byRouter = new LinkedHashMap<>();
  private final Map<String, Boolean> carved = new LinkedHashMap<>();
  private final List<Consumer<Subnet>> listeners = new CopyOnWriteArrayList<>();

  /**
   * Site subnets of {@code config}; {@code bridge} is the bridge's own network (never carved).
   *
   * @throws IllegalArgumentException if two configured subnets overlap or one is unusable
   */
  public SiteSubnets(SitesConfig config, SiteSubnetStore store, Cidr bridge, Defaults defaults) {
    this.config = config;
    this.store = store;
    this.bridge = new Cidr(bridge.network(), bridge.prefix());
    this.defaults = defaults;
    for (Map.Entry<String, SitesConfig.Site> e :
        new java.util.TreeMap<>(config.routers()).entrySet()) {
      Cidr net = normal(e.getValue().subnet());
      for (Subnet s : byRouter.values()) {
        if (overlaps(s.network(), net)) {
          throw new IllegalArgumentException(
              "sites.routers: "
                  + e.getKey()
                  + " "
                  + net
                  + " overlaps "
                  + s.name()
                  + " "
                  + s.network());
        }
      }
      Integer gw = e.getValue().gateway();
      byRouter.put(e.getKey(), build(e.getKey(), net, gw == null ? net.network() + 1 : gw));
    }
  }

  /** Loads the persisted carves (at start, before the DHCP server is built). Returns how many. */
  public synchronized int load() {
    int n = 0;
    for (Map.Entry<String, Cidr> e : store.loadAll().entrySet()) {
      if (byRouter.containsKey(e.getKey())) {
        continue;
      }
      Cidr net = normal(e.getValue());
      Subnet clash = overlapping(net);
      if (clash != null) {
        log.warn(
            "event=site_subnet_conflict router={} subnet={} overlaps={} action=ignored",
            e.getKey(),
            net,
            clash.name());
        continue;
      }
      byRouter.put(e.getKey(), build(e.getKey(), net, net.network() + 1));
      carved.put(e.getKey(), true);
      n++;
    }
    return n;
  }

  /** Adds a listener told about each subnet created after {@link #load} (carved on first sight). */
  public void addListener(Consumer<Subnet> listener) {
    listeners.add(listener);
  }

  /** The subnet of {@code router} if it has one already (never carves, never blocks). */
  public synchronized Subnet peek(String router) {
    return byRouter.get(router);
  }

  /**
   * The subnet of {@code router}, carving and persisting one if needed; null if the router has none
   * (no supernet, supernet exhausted, or the store write failed). May block on the store.
   */
  public Subnet subnetOf(String router) {
    Subnet s;
    synchronized (this) {
      s = byRouter.get(router);
      if (s != null || config.supernet() == null) {
        return s;
      }
      Cidr net = nextFree();
      if (net == null) {
        log.warn(
            "event=site_supernet_exhausted router={} supernet={} prefix_length={}",
            router,
            config.supernet(),
            config.prefixLength());
        return null;
      }
      try {
        store.save(router, net).get(SAVE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("event=site_subnet_save_failed router={} subnet={} error=\"{}\"", router, net, e);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        return null;
      }
      s = build(router, net, net.network() + 1);
      byRouter.put(router, s);
      carved.put(router, true);
      log.info("event=site_subnet_carved router={} subnet={}", router, net);
    }
    for (Consumer<Subnet> l : listeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        log.error("event=site_subnet_listener_failed router={}", router, e);
      }
    }
    return s;
  }

  /** True if {@code router}'s subnet was carved (not configured). */
  public synchronized boolean isCarved(String router) {
    return carved.containsKey(router);
  }

  /** Every site subnet known now. */
  public synchronized List<Subnet> all() {
    return new ArrayList<>(byRouter.values());
  }

  /** Router name → subnet, known now. */
  public synchronized Map<String, Subnet> byRouter() {
    return new LinkedHashMap<>(byRouter);
  }

  private Cidr nextFree() {
    Cidr sup = normal(config.supernet());
    int len = config.prefixLength();
    if (len < sup.prefix() || len > 30) {
      return null;
    }
    long block = 1L << (32 - len);
    long start = Ipv4.unsigned(sup.network());
    long end = start + sup.size();
    for (long a = start; a < end; a += block) {
      Cidr c = new Cidr((int) a, len);
      if (!overlaps(c, bridge) && overlapping(c) == null) {
        return c;
      }
    }
    return null;
  }

  private Subnet overlapping(Cidr net) {
    for (Subnet s : byRouter.values()) {
      if (overlaps(s.network(), net)) {
        return s;
      }
    }
    return null;
  }

  private Subnet build(String router, Cidr net, int gateway) {
    return Subnet.forRouter(
        router,
        net,
        gateway,
        defaults.serverId(),
        defaults.dnsServers(),
        defaults.domainName(),
        defaults.lease());
  }

  static boolean overlaps(Cidr a, Cidr b) {
    return a.contains(b.network()) || b.contains(a.network());
  }

  private static Cidr normal(Cidr c) {
    return new Cidr(c.network(), c.prefix());
  }
}
