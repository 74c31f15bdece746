package ovpnagent.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlResponse;

/**
 * The console commands the agent answers itself, rendered like OpenVPN's {@code status 3}: a {@code
 * HEADER} row naming the columns, then one TAB-separated row per item, then {@code END}; a failure
 * is one {@code ERROR:} line. The data comes from the control registry ({@code lease4-get-all},
 * {@code statistic-get-all}, {@code routers-get}, falling back to {@code clients-get} of this
 * instance when no {@code routers-get} is registered).
 */
final class LocalCommands {
  private static final JsonNodeFactory J = JsonNodeFactory.instance;

  /** Lines appended to OpenVPN's {@code help} text. */
  static final List<String> HELP =
      List.of(
          "",
          "ovpn-agent console (answered by the agent, not OpenVPN):",
          "dhcp leases            : DHCP leases of the agent's server.",
          "dhcp stats             : DHCP counters of the agent's server.",
          "routers                : Routers connected to this instance.",
          "quit/exit              : Close this console connection (OpenVPN keeps running).",
          "Refused here: client-auth, client-auth-nt, client-deny, client-pending-auth,",
          "  log/state/echo on|off, bytecount, hold release|on|off, version N, env-filter,",
          "  password, username (they belong to the agent's own management session).");

  private final CommandRegistry registry;
  private final String instance;

  LocalCommands(CommandRegistry registry, String instance) {
    this.registry = registry;
    this.instance = instance;
  }

  /** The reply lines of agent command {@code name} (see {@link Verdict#text()}). */
  List<String> run(String name) {
    switch (name) {
      case "dhcp-leases":
        return table("LEASE", registry.dispatch("lease4-get-all", null), "leases");
      case "dhcp-stats":
        return stats(registry.dispatch("statistic-get-all", null));
      case "routers":
        return routers();
      default:
        return List.of("ERROR: unknown agent command " + name);
    }
  }

  private List<String> routers() {
    ObjectNode args = J.objectNode().put("instance", instance);
    ControlResponse r = registry.dispatch("routers-get", args);
    if (r.result() == ControlResponse.UNSUPPORTED) {
      ControlResponse c = registry.dispatch("clients-get", null);
      if (c.result() == ControlResponse.SUCCESS || c.result() == ControlResponse.EMPTY) {
        ObjectNode mine = J.objectNode();
        var rows = mine.putArray("routers");
        for (JsonNode n : c.arguments() == null ? J.arrayNode() : c.arguments().path("clients")) {
          if (instance.equals(n.path("instance").asText())) {
            rows.add(n);
          }
        }
        return table("ROUTER", ControlResponse.ok(mine), "routers");
      }
      return table("ROUTER", c, "clients");
    }
    return table("ROUTER", r, "routers");
  }

  /** Renders the array under {@code key} (or the first array in the arguments) as a table. */
  static List<String> table(String rowTag, ControlResponse r, String key) {
    if (r.result() != ControlResponse.SUCCESS && r.result() != ControlResponse.EMPTY) {
      return List.of("ERROR: " + oneLine(r.text()));
    }
    List<String> out = new ArrayList<>();
    JsonNode a = r.arguments() == null ? null : r.arguments().get(key);
    if (a == null && r.arguments() != null) {
      for (JsonNode v : r.arguments()) {
        if (v.isArray()) {
          a = v;
          break;
        }
      }
    }
    if (a == null || a.isEmpty()) {
      if (r.result() == ControlResponse.EMPTY || a != null) {
        out.add("INFO\t" + oneLine(r.text()));
      }
      out.add("END");
      return out;
    }
    Set<String> cols = new LinkedHashSet<>();
    for (JsonNode row : a) {
      row.fieldNames().forEachRemaining(cols::add);
    }
    out.add("HEADER\t" + rowTag + "\t" + String.join("\t", cols));
    for (JsonNode row : a) {
      StringBuilder sb = new StringBuilder(rowTag);
      for (String c : cols) {
        JsonNode v = row.get(c);
        String text = v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
        sb.append('\t').append(oneLine(text));
      }
      out.add(sb.toString());
    }
    out.add("END");
    return out;
  }

  private static List<String> stats(ControlResponse r) {
    if (r.result() != ControlResponse.SUCCESS || r.arguments() == null) {
      return List.of("ERROR: " + oneLine(r.text()));
    }
    List<String> out = new ArrayList<>();
    out.add("HEADER\tSTAT\tName\tValue");
    Iterator<Map.Entry<String, JsonNode>> it = r.arguments().fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().startsWith("dhcp")) {
        continue;
      }
      JsonNode v = e.getValue();
      out.add("STAT\t" + e.getKey() + "\t" + (v.isValueNode() ? v.asText() : v.toString()));
    }
    out.add("END");
    return out;
  }

  private static String oneLine(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return sb.toString();
  }
}
