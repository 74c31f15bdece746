package ovpnagent.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlResponse;
import ovpnagent.dhcp.server.DhcpService;
import ovpnagent.dhcp.server.DropReason;
import ovpnagent.dhcp.server.LeaseAllocator;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseState;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * The DHCP server's control commands ({@code lease4-get-all}, {@code lease4-del}, {@code
 * leases-reclaim}, {@code quarantine-get}) and its {@code dhcp} section of {@code status-get}. When
 * the gate keeps the DHCP server off, the section says why and the commands answer "empty".
 */
final class DhcpCommands {
  private static final JsonNodeFactory J = JsonNodeFactory.instance;

  private DhcpCommands() {}

  static void register(
      CommandRegistry r, Deferred<DhcpService> dhcp, String bridge, String whyNot) {
    r.addStatusSection(
        "dhcp",
        () -> {
          ObjectNode o = J.objectNode();
          DhcpService s = dhcp == null ? null : dhcp.get();
          o.put("bound", s != null);
          if (s == null) {
            o.put("reason", whyNot);
            return o;
          }
          o.put("interface", bridge);
          LeaseAllocator.PoolUsage u = s.poolUsage();
          ObjectNode pool = o.putObject("pool");
          pool.put("total", u.total());
          pool.put("bound", u.bound());
          pool.put("offered", u.offered());
          pool.put("declined", u.declined());
          pool.put("remembered", u.remembered());
          pool.put(
              "used_percent",
              u.total() == 0 ? 0 : Math.round(1000.0 * u.bound() / u.total()) / 10.0);
          ObjectNode drops = o.putObject("drops");
          for (Map.Entry<DropReason, Long> e : s.dropCounts().entrySet()) {
            if (e.getValue() > 0) {
              drops.put(e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue());
            }
          }
          return o;
        });
    r.register(
        "lease4-get-all",
        "DHCP leases; arguments: router, hw-address",
        args -> {
          DhcpService s = dhcp == null ? null : dhcp.get();
          if (s == null) {
            return ControlResponse.empty("DHCP server not running: " + whyNot);
          }
          String router = text(args, "router");
          HwAddr mac =
              args != null && args.hasNonNull("hw-address")
                  ? HwAddr.parse(args.get("hw-address").asText())
                  : null;
          ArrayNode out = J.arrayNode();
          s.leases().stream()
              .filter(l -> l.state() != LeaseState.DECLINED)
              .filter(l -> router == null || router.equals(l.router()))
              .filter(l -> mac == null || mac.equals(l.mac()))
              .sorted(Comparator.comparingLong(l -> Ipv4.unsigned(l.ip())))
              .forEach(l -> out.add(json(l)));
          ObjectNode res = J.objectNode();
          res.set("leases", out);
          return out.isEmpty()
              ? new ControlResponse(ControlResponse.EMPTY, "no leases", res)
              : ControlResponse.ok(out.size() + " leases", res);
        });
    r.register(
        "quarantine-get",
        "declined addresses on probation",
        args -> {
          DhcpService s = dhcp == null ? null : dhcp.get();
          if (s == null) {
            return ControlResponse.empty("DHCP server not running: " + whyNot);
          }
          ArrayNode out = J.arrayNode();
          s.leases().stream()
              .filter(l -> l.state() == LeaseState.DECLINED)
              .sorted(Comparator.comparingLong(l -> Ipv4.unsigned(l.ip())))
              .forEach(
                  l -> {
                    ObjectNode o = J.objectNode();
                    o.put("ip", Ipv4.format(l.ip()));
                    o.put("declined", Instant.ofEpochMilli(l.updatedAt()).toString());
                    o.put("until", Instant.ofEpochMilli(l.expiresAt()).toString());
                    out.add(o);
                  });
          ObjectNode res = J.objectNode();
          res.set("quarantine", out);
          return out.isEmpty()
              ? new ControlResponse(ControlResponse.EMPTY, "nothing on probation", res)
              : ControlResponse.ok(out.size() + " addresses on probation", res);
        });
    r.register(
        "lease4-del",
        "release the leases of a MAC; arguments: hw-address",
        args -> {
          DhcpService s = dhcp == null ? null : dhcp.get();
          if (s == null) {
            return ControlResponse.empty("DHCP server not running: " + whyNot);
          }
          String m = text(args, "hw-address");
          if (m == null) {
            return ControlResponse.error("hw-address is required");
          }
          List<Lease> released = s.releaseMac(HwAddr.parse(m)).get(10, TimeUnit.SECONDS);
          ArrayNode out = J.arrayNode();
          released.forEach(l -> out.add(json(l)));
          ObjectNode res = J.objectNode();
          res.set("released", out);
          return released.isEmpty()
              ? new ControlResponse(ControlResponse.EMPTY, "no active lease for " + m, res)
              : ControlResponse.ok("released " + released.size() + " lease(s)", res);
        });
    r.register(
        "leases-reclaim",
        "run lease expiry and probation reclamation now",
        args -> {
          DhcpService s = dhcp == null ? null : dhcp.get();
          if (s == null) {
            return ControlResponse.empty("DHCP server not running: " + whyNot);
          }
          ObjectNode res = J.objectNode();
          res.put("reclaimed", s.reclaimNow());
          return ControlResponse.ok("reclaimed", res);
        });
  }

  static ObjectNode json(Lease l) {
    ObjectNode o = J.objectNode();
    o.put("ip", Ipv4.format(l.ip()));
    o.put("mac", l.mac() == null ? "" : l.mac().toString());
    o.put("client", l.clientKey());
    o.put("state", l.state().name().toLowerCase(java.util.Locale.ROOT));
    o.put("expires", Instant.ofEpochMilli(l.expiresAt()).toString());
    o.put("router", l.router() == null ? "" : l.router());
    o.put("hostname", l.hostname() == null ? "" : l.hostname());
    return o;
  }

  private static String text(JsonNode args, String key) {
    return args != null && args.hasNonNull(key) ? args.get(key).asText() : null;
  }
}
