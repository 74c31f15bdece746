package ovpnagent.instance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ovpnagent.config.AgentConfig;
import ovpnagent.config.DhcpConfig;
import ovpnagent.config.InstanceConfig;
import ovpnagent.openvpn.conf.ConfParseException;
import ovpnagent.openvpn.conf.ManagementEndpoint;
import ovpnagent.openvpn.conf.ServerBridge;
import ovpnagent.openvpn.conf.ServerConf;
import ovpnagent.openvpn.conf.ServerConfParser;
import ovpnagent.util.Cidr;
import ovpnagent.util.Ipv4;

/**
 * What the whole agent will run for a config: each instance's mode and warnings, and the DHCP gate.
 * Built once at start (and by {@code check}); immutable.
 *
 * @param instances one plan per configured instance, in config order
 * @param dhcp whether the DHCP server binds, where, and why (not)
 * @param warnings agent-wide warnings (instance warnings are in each {@link InstancePlan})
 */
public record AgentPlan(List<InstancePlan> instances, DhcpGate dhcp, List<PlanWarning> warnings) {
  public AgentPlan {
    instances = List.copyOf(instances);
    warnings = List.copyOf(warnings);
  }

  /**
   * Parses every instance's OpenVPN config from the file system and builds the plan.
   *
   * @throws ConfParseException naming the file and line of the first config that cannot be parsed
   */
  public static AgentPlan build(AgentConfig config) throws ConfParseException {
    return build(config, new ServerConfParser());
  }

  /** Like {@link #build(AgentConfig)} with a given parser (tests pass in-memory files). */
  public static AgentPlan build(AgentConfig config, ServerConfParser parser)
      throws ConfParseException {
    List<ServerConf> confs = new ArrayList<>();
    for (InstanceConfig ic : config.instances()) {
      confs.add(parser.parse(ic.config()));
    }
    return of(config, confs);
  }

  /**
   * Builds the plan from already parsed configs; {@code confs.get(i)} belongs to {@code
   * config.instances().get(i)}. Pure.
   */
  public static AgentPlan of(AgentConfig config, List<ServerConf> confs) {
    if (confs.size() != config.instances().size()) {
      throw new IllegalArgumentException(
          confs.size() + " parsed configs for " + config.instances().size() + " instances");
    }
    DhcpConfig dhcp = config.dhcp();
    List<InstancePlan> plans = new ArrayList<>();
    for (int i = 0; i < confs.size(); i++) {
      plans.add(instance(config.instances().get(i), confs.get(i), dhcp));
    }
    List<PlanWarning> global = new ArrayList<>();
    Map<String, List<String>> byEndpoint = new LinkedHashMap<>();
    Map<String, List<String>> byDevice = new LinkedHashMap<>();
    List<String> bridged = new ArrayList<>();
    for (InstancePlan p : plans) {
      if (p.management() != null && p.mode() != InstanceMode.CLIENT_OR_UNKNOWN) {
        byEndpoint.computeIfAbsent(p.management().address(), k -> new ArrayList<>()).add(p.name());
      }
      if (p.mode() == InstanceMode.BRIDGED_TAP) {
        bridged.add(p.name());
        if (p.device() != null) {
          byDevice.computeIfAbsent(p.device(), k -> new ArrayList<>()).add(p.name());
        }
      }
    }
    byEndpoint.forEach(
        (ep, names) -> {
          if (names.size() > 1) {
            global.add(
                new PlanWarning(
                    PlanWarning.Kind.SHARED_MANAGEMENT_ENDPOINT,
                    null,
                    "instances "
                        + String.join(", ", names)
                        + " share the management endpoint "
                        + ep
                        + ": OpenVPN serves one management client per socket, so at most one of"
                        + " them can listen there"));
          }
        });
    byDevice.forEach(
        (dev, names) -> {
          if (names.size() > 1) {
            global.add(
                new PlanWarning(
                    PlanWarning.Kind.SHARED_DEVICE,
                    null,
                    "bridged instances " + String.join(", ", names) + " all use device " + dev));
          }
        });
    String bridgeName = config.bridge().name();
    DhcpGate gate;
    if (!bridged.isEmpty() && dhcp.enabled()) {
      gate =
          new DhcpGate(
              true,
              bridgeName,
              dhcp.poolStart(),
              dhcp.poolEnd(),
              "bridged-tap instance"
                  + (bridged.size() > 1 ? "s " : " ")
                  + String.join(", ", bridged)
                  + " and dhcp.enabled is true",
              bridged);
    } else if (bridged.isEmpty() && dhcp.enabled()) {
      gate =
          new DhcpGate(
              false,
              bridgeName,
              dhcp.poolStart(),
              dhcp.poolEnd(),
              "no bridged-tap instance (dhcp.enabled is true, but DHCP is only served on the bridge"
                  + " of bridged-tap instances)",
              bridged);
      global.add(
          new PlanWarning(
              PlanWarning.Kind.DHCP_WITHOUT_BRIDGED,
              null,
              "dhcp.enabled is true but no instance is bridged-tap: the DHCP server is not"
                  + " started and UDP/67 is not bound; routed clients get addresses from"
                  + " routed.pool"));
    } else if (bridged.isEmpty()) {
      gate =
          new DhcpGate(
              false,
              bridgeName,
              dhcp.poolStart(),
              dhcp.poolEnd(),
              "no bridged-tap instance, and dhcp.enabled is false",
              bridged);
    } else {
      gate =
          new DhcpGate(
              false,
              bridgeName,
              dhcp.poolStart(),
              dhcp.poolEnd(),
              "dhcp.enabled is false: an upstream server owns DHCP on " + bridgeName,
              bridged);
    }
    return new AgentPlan(plans, gate, global);
  }

  /** The bridged-TAP instances (their devices are enslaved to the bridge). */
  public List<InstancePlan> bridgedTap() {
    return instances.stream().filter(p -> p.mode() == InstanceMode.BRIDGED_TAP).toList();
  }

  /** The routed-TUN instances. */
  public List<InstancePlan> routedTun() {
    return instances.stream().filter(p -> p.mode() == InstanceMode.ROUTED_TUN).toList();
  }

  /** Every warning: each instance's, then the agent-wide ones. */
  public List<PlanWarning> allWarnings() {
    List<PlanWarning> all = new ArrayList<>();
    instances.forEach(p -> all.addAll(p.warnings()));
    all.addAll(warnings);
    return all;
  }

  private static InstancePlan instance(InstanceConfig ic, ServerConf conf, DhcpConfig dhcp) {
    ModeDecision d = ModeDecider.decide(conf);
    List<PlanWarning> w = new ArrayList<>();
    String name = ic.name();
    InstanceMode mode = d.mode();
    if (mode == InstanceMode.CLIENT_OR_UNKNOWN) {
      w.add(warn(PlanWarning.Kind.NOT_A_SERVER, name, d.reason() + ": the agent ignores it"));
      return new InstancePlan(ic, conf, mode, d.reason(), w);
    }
    if (mode == InstanceMode.ROUTED_TAP) {
      w.add(
          warn(
              PlanWarning.Kind.ROUTED_TAP,
              name,
              "routed TAP (TAP device without server-bridge): reported only; the agent manages"
                  + " no bridge and pushes no addresses for it"));
    }
    ManagementEndpoint mgmt = conf.management();
    if (mgmt == null) {
      w.add(
          warn(
              PlanWarning.Kind.NO_MANAGEMENT,
              name,
              "no management directive: the agent cannot attach to this instance (add e.g."
                  + " 'management /run/openvpn-server/"
                  + name
                  + ".sock unix')"));
    } else if (!mgmt.isLocal()) {
      w.add(
          warn(
              PlanWarning.Kind.MANAGEMENT_NOT_LOOPBACK,
              name,
              "management listens on "
                  + mgmt.host()
                  + ":"
                  + mgmt.port()
                  + ", not on loopback: the management protocol is cleartext; use a unix socket"
                  + " or 127.0.0.1"));
    }
    if (conf.managementClientAuth() && !conf.authUserPassOptional()) {
      w.add(
          warn(
              PlanWarning.Kind.CLIENT_AUTH_WITHOUT_USER_PASS_OPTIONAL,
              name,
              "management-client-auth without auth-user-pass-optional: clients that authenticate"
                  + " with a certificate only (routers) are refused in TLS ('Auth"
                  + " Username/Password was not provided by peer')"));
    }
    if (conf.learnAddress() != null && conf.scriptSecurity() < 2) {
      w.add(
          warn(
              PlanWarning.Kind.SCRIPT_SECURITY_TOO_LOW,
              name,
              "learn-address needs script-security 2 (it is "
                  + conf.scriptSecurity()
                  + "): OpenVPN will not run "
                  + conf.learnAddress().program()));
    }
    if (conf.up() != null && conf.scriptSecurity() < 2) {
      w.add(
          warn(
              PlanWarning.Kind.SCRIPT_SECURITY_TOO_LOW,
              name,
              "up needs script-security 2 (it is "
                  + conf.scriptSecurity()
                  + "): OpenVPN will not run "
                  + conf.up().program()));
    }
    if (conf.duplicateCn()) {
      w.add(
          warn(
              PlanWarning.Kind.DUPLICATE_CN,
              name,
              "duplicate-cn: several clients may share a common name, so per-name state (sticky"
                  + " routed address, MAC-to-router mapping) is ambiguous"));
    }
    if (mode == InstanceMode.BRIDGED_TAP) {
      bridgedWarnings(name, conf, dhcp, w);
    }
    Cidr pool = ic.routedPool();
    if (mode == InstanceMode.ROUTED_TUN) {
      routedWarnings(name, conf, pool, dhcp, w);
    } else if (pool != null) {
      w.add(
          warn(
              PlanWarning.Kind.ROUTED_POOL_UNUSED,
              name,
              "routed.pool " + pool + " is set but the instance is " + mode.label() + ": unused"));
    }
    return new InstancePlan(ic, conf, mode, d.reason(), w);
  }

  private static void bridgedWarnings(
      String name, ServerConf conf, DhcpConfig dhcp, List<PlanWarning> w) {
    if (!conf.managementClientAuth()) {
      w.add(
          warn(
              PlanWarning.Kind.BRIDGED_WITHOUT_CLIENT_AUTH,
              name,
              "bridged instance without management-client-auth: the agent is not asked about"
                  + " connecting routers, so router tracking (MAC-to-router) and authorization"
                  + " are incomplete"));
    }
    if (conf.learnAddress() == null) {
      w.add(
          warn(
              PlanWarning.Kind.NO_LEARN_ADDRESS,
              name,
              "no learn-address: MAC learning falls back to polling status 3 (add 'learn-address"
                  + " /usr/local/lib/ovpn-agent/hooks/learn-address' and 'script-security 2')"));
    }
    if (conf.ifconfig() != null) {
      w.add(
          warn(
              PlanWarning.Kind.BRIDGED_WITH_IFCONFIG,
              name,
              conf.ifconfig()
                  + " on a bridged TAP: the address belongs on the bridge, not on "
                  + conf.dev()));
    }
    if ("tap".equals(conf.dev())) {
      w.add(
          warn(
              PlanWarning.Kind.DEV_WITHOUT_UNIT,
              name,
              "dev tap has no unit number: OpenVPN picks the first free tapN, so the agent cannot"
                  + " know which device to bridge; name it (dev tap0)"));
    }
    ServerBridge sb = conf.serverBridge();
    if (dhcp.enabled()
        && sb != null
        && sb.hasPool()
        && overlaps(sb.poolStart(), sb.poolEnd(), dhcp.poolStart(), dhcp.poolEnd())) {
      w.add(
          warn(
              PlanWarning.Kind.BRIDGE_POOL_OVERLAPS_DHCP,
              name,
              "the server-bridge pool "
                  + Ipv4.format(sb.poolStart())
                  + "-"
                  + Ipv4.format(sb.poolEnd())
                  + " overlaps the DHCP pool "
                  + Ipv4.format(dhcp.poolStart())
                  + "-"
                  + Ipv4.format(dhcp.poolEnd())));
    }
  }

  private static void routedWarnings(
      String name, ServerConf conf, Cidr pool, DhcpConfig dhcp, List<PlanWarning> w) {
    if (pool == null) {
      if (conf.managementClientAuth()) {
        boolean ownPool =
            (conf.server() != null && !conf.server().nopool()) || conf.ifconfigPool() != null;
        w.add(
            warn(
                PlanWarning.Kind.ROUTED_WITHOUT_POOL,
                name,
                ownPool
                    ? "routed-tun instance with management-client-auth but no routed.pool: the"
                        + " agent pushes no addresses; clients get OpenVPN's own pool addresses,"
                        + " not sticky per name"
                    : "routed-tun instance with management-client-auth but no routed.pool, and"
                        + " the config has no address pool: clients would get no address"));
      }
      return;
    }
    if (conf.server() != null) {
      Cidr net =
          new Cidr(conf.server().network(), Math.max(0, Ipv4.prefixOf(conf.server().netmask())));
      if (!net.contains(pool.network()) || !net.contains(pool.broadcast())) {
        w.add(
            warn(
                PlanWarning.Kind.ROUTED_POOL_OUTSIDE_SERVER_NET,
                name,
                "routed.pool " + pool + " is not inside the instance's " + conf.server()));
      }
    }
    if (dhcp.enabled()
        && overlaps(pool.network(), pool.broadcast(), dhcp.poolStart(), dhcp.poolEnd())) {
      w.add(
          warn(
              PlanWarning.Kind.ROUTED_POOL_OVERLAPS_DHCP,
              name,
              "routed.pool "
                  + pool
                  + " overlaps the DHCP pool "
                  + Ipv4.format(dhcp.poolStart())
                  + "-"
                  + Ipv4.format(dhcp.poolEnd())
                  + ": the same address could be given twice"));
    }
  }

  private static boolean overlaps(int aStart, int aEnd, int bStart, int bEnd) {
    return Ipv4.compare(aStart, bEnd) <= 0 && Ipv4.compare(bStart, aEnd) <= 0;
  }

  private static PlanWarning warn(PlanWarning.Kind kind, String instance, String message) {
    return new PlanWarning(kind, instance, message);
  }
}
