package ovpnagent.instance;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import ovpnagent.openvpn.conf.DeviceKind;
import ovpnagent.openvpn.conf.ServerConf;
import ovpnagent.util.Ipv4;

/** Renders an {@link AgentPlan} as the text {@code ovpn-agent check} prints. */
public final class PlanPrinter {
  private PlanPrinter() {}

  /** Prints {@code plan} to {@code out}. */
  public static void print(AgentPlan plan, PrintStream out) {
    out.print(render(plan));
    out.flush();
  }

  /**
   * Logs the plan at start-up: one {@code event=instance_mode} line per instance, one {@code
   * event=dhcp_gate} line, and one {@code event=plan_warning} line (level warn) per warning.
   */
  public static void log(AgentPlan plan, Logger log) {
    for (InstancePlan p : plan.instances()) {
      log.info(
          "event=instance_mode instance={} mode={} device={} management={} config={}",
          p.name(),
          p.mode().label(),
          p.device(),
          p.management() == null ? "none" : p.management().address(),
          p.configFile());
    }
    DhcpGate g = plan.dhcp();
    log.info("event=dhcp_gate binds={} bridge={} reason=\"{}\"", g.binds(), g.bridge(), g.reason());
    for (PlanWarning w : plan.allWarnings()) {
      log.warn(
          "event=plan_warning instance={} kind={} message=\"{}\"",
          w.instance() == null ? "-" : w.instance(),
          w.kind(),
          w.message());
    }
  }

  /** The text {@link #print} writes, lines ending in {@code \n}. */
  public static String render(AgentPlan plan) {
    StringBuilder sb = new StringBuilder();
    if (plan.instances().isEmpty()) {
      sb.append("no OpenVPN instance configured\n");
    }
    for (InstancePlan p : plan.instances()) {
      ServerConf c = p.conf();
      sb.append("instance ").append(p.name()).append('\n');
      line(sb, "config", p.configFile().toString());
      line(sb, "mode", p.mode().label() + " (" + p.modeReason() + ")");
      line(sb, "device", device(c));
      line(sb, "management", p.management() == null ? "none" : p.management().toString());
      line(sb, "client auth", clientAuth(c));
      if (p.mode() == InstanceMode.ROUTED_TUN) {
        line(
            sb,
            "routed pool",
            p.config().routedPool() == null ? "none" : p.config().routedPool().toString());
      }
      if (p.mode() == InstanceMode.BRIDGED_TAP) {
        line(sb, "learn-address", c.learnAddress() == null ? "none" : c.learnAddress().command());
      }
    }
    DhcpGate g = plan.dhcp();
    if (g.binds()) {
      sb.append("dhcp: would bind UDP/67 on ")
          .append(g.bridge())
          .append(" (pool ")
          .append(Ipv4.format(g.poolStart()))
          .append('-')
          .append(Ipv4.format(g.poolEnd()))
          .append("): ")
          .append(g.reason())
          .append('\n');
    } else {
      sb.append("dhcp: will not bind: ").append(g.reason()).append('\n');
    }
    List<PlanWarning> all = plan.allWarnings();
    if (all.isEmpty()) {
      sb.append("warnings: none\n");
    } else {
      sb.append("warnings: ").append(all.size()).append('\n');
      for (PlanWarning w : all) {
        sb.append("  warning: ").append(w).append('\n');
      }
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append("  ").append(key).append(':');
    sb.append(" ".repeat(Math.max(1, 14 - key.length())));
    sb.append(value).append('\n');
  }

  private static String device(ServerConf c) {
    if (c.dev() == null) {
      return "none";
    }
    StringBuilder d = new StringBuilder(c.dev());
    d.append(" (").append(c.deviceKind().name().toLowerCase(java.util.Locale.ROOT));
    if (c.deviceKind() == DeviceKind.TUN) {
      d.append(", topology ").append(c.topology().directive());
      if (!c.topologyExplicit()) {
        d.append(" by default");
      }
    }
    if (c.vlanTagging()) {
      d.append(", vlan-tagging");
    }
    return d.append(')').toString();
  }

  private static String clientAuth(ServerConf c) {
    List<String> parts = new ArrayList<>();
    parts.add(c.managementClientAuth() ? "management-client-auth" : "no management-client-auth");
    if (c.authUserPassOptional()) {
      parts.add("auth-user-pass-optional");
    }
    if (c.managementHold()) {
      parts.add("management-hold");
    }
    return String.join(", ", parts);
  }
}
