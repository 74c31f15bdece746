package ovpnagent.boot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlResponse;
import ovpnagent.instance.AgentPlan;
import ovpnagent.instance.InstancePlan;
import ovpnagent.openvpn.mgmt.InstanceManagementService;
import ovpnagent.openvpn.mgmt.RouterTable;
import ovpnagent.util.Ipv4;

/**
 * The management side's control commands: {@code instances-get} (mode, management connection state
 * and since when, clients) and {@code clients-get} (connected clients and their addresses), and the
 * {@code instances} section of {@code status-get}.
 */
final class MgmtCommands {
  private static final JsonNodeFactory J = JsonNodeFactory.instance;

  private MgmtCommands() {}

  static void register(
      CommandRegistry r, AgentPlan plan, List<Deferred<InstanceManagementService>> services) {
    r.addStatusSection("instances", () -> instances(plan, services));
    r.register(
        "instances-get",
        "OpenVPN instances: mode, management connection, clients",
        args -> ControlResponse.ok(wrap("instances", instances(plan, services))));
    r.register(
        "clients-get",
        "connected OpenVPN clients",
        args -> {
          ArrayNode out = J.arrayNode();
          for (Deferred<InstanceManagementService> d : services) {
            InstanceManagementService s = d.get();
            if (s == null) {
              continue;
            }
            for (RouterTable.Router c : s.routers().snapshot()) {
              ObjectNode o = out.addObject();
              o.put("instance", s.instanceName());
              o.put("common_name", c.commonName());
              o.put("cid", c.cid());
              o.put("epoch", c.epoch());
              o.put("real_address", c.realAddress() == null ? "" : c.realAddress());
              String ip = "";
              if (s.allocator() != null) {
                java.util.OptionalInt a = s.allocator().addressOf(c.commonName());
                ip = a.isPresent() ? Ipv4.format(a.getAsInt()) : "";
              }
              o.put("address", ip);
            }
          }
          return out.isEmpty()
              ? new ControlResponse(ControlResponse.EMPTY, "no clients", wrap("clients", out))
              : ControlResponse.ok(out.size() + " clients", wrap("clients", out));
        });
  }

  private static ObjectNode wrap(String key, com.fasterxml.jackson.databind.JsonNode v) {
    ObjectNode o = J.objectNode();
    o.set(key, v);
    return o;
  }

  private static ArrayNode instances(
      AgentPlan plan, List<Deferred<InstanceManagementService>> services) {
    ArrayNode out = J.arrayNode();
    for (InstancePlan p : plan.instances()) {
      ObjectNode o = out.addObject();
      o.put("name", p.name());
      o.put("mode", p.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      o.put("device", p.device() == null ? "" : p.device());
      o.put("management", p.management() == null ? "" : p.management().address());
      InstanceManagementService s = null;
      for (Deferred<InstanceManagementService> d : services) {
        if (d.get() != null && d.get().instanceName().equals(p.name())) {
          s = d.get();
        }
      }
      if (s == null) {
        o.put("connection", "not managed");
        continue;
      }
      o.put("connection", s.isConnected() ? "connected" : "disconnected");
      o.put("since", s.stateSince() == 0 ? "" : Instant.ofEpochMilli(s.stateSince()).toString());
      o.put("clients", s.routers().size());
    }
    return out;
  }
}
