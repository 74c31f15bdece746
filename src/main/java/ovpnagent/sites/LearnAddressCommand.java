package ovpnagent.sites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.control.ControlCommand;
import ovpnagent.control.ControlResponse;
import ovpnagent.util.HwAddr;

/**
 * The {@code learn-address} control command sent by {@code hooks/learn-address} (openvpn.md §4):
 * arguments {@code op} (add|update|delete), {@code addr}, {@code cn} (add/update), optional {@code
 * dev} and {@code instance}. A MAC ({@code @vid} stripped) updates the {@link MacRouterMap}; an
 * IPv4 address (routed instances) is ignored with success; anything else is an error. Answers from
 * memory only (the store write is not waited for).
 */
public final class LearnAddressCommand implements ControlCommand {
  private static final Logger log = LoggerFactory.getLogger(LearnAddressCommand.class);
  private static final JsonNodeFactory J = JsonNodeFactory.instance;
  private static final Pattern IPV4 =
      Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?C?");
  private static final Pattern NAME = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,63}");

  private final Supplier<MacRouterMap> map;

  /** A handler updating the map {@code map} supplies (null before the sites module started). */
  public LearnAddressCommand(Supplier<MacRouterMap> map) {
    this.map = map;
  }

  @Override
  public ControlResponse handle(JsonNode args) {
    String op = text(args, "op");
    String addr = text(args, "addr");
    String cn = text(args, "cn");
    String instance = text(args, "instance");
    if (op == null || !(op.equals("add") || op.equals("update") || op.equals("delete"))) {
      return ControlResponse.error("op must be add, update or delete");
    }
    if (addr == null || addr.isEmpty() || addr.length() > 64) {
      return ControlResponse.error("addr is missing or too long");
    }
    if (IPV4.matcher(addr).matches()) {
      return ControlResponse.ok("ignored: IPv4 address (routed instance)", null);
    }
    HwAddr mac;
    try {
      mac = HwAddr.parse(addr);
    } catch (IllegalArgumentException e) {
      return ControlResponse.error("addr is neither a MAC nor an IPv4 address: " + e.getMessage());
    }
    if (instance != null && !NAME.matcher(instance).matches()) {
      return ControlResponse.error("bad instance name");
    }
    MacRouterMap m = map.get();
    if (m == null) {
      return ControlResponse.error("sites not started");
    }
    ObjectNode out = J.objectNode();
    out.put("mac", mac.toString());
    if (op.equals("delete")) {
      boolean known = m.forget(mac);
      log.debug("event=learn_address op=delete mac={} known={}", mac, known);
      out.put("changed", known);
      return known
          ? ControlResponse.ok("forgotten", out)
          : new ControlResponse(ControlResponse.EMPTY, "MAC was not known", out);
    }
    if (cn == null || !NAME.matcher(cn).matches()) {
      return ControlResponse.error("cn is missing or not a printable common name (max 64)");
    }
    boolean changed = m.learn(mac, cn, instance);
    if (changed) {
      log.info("event=learn_address op={} mac={} router={} instance={}", op, mac, cn, instance);
    }
    out.put("router", cn);
    out.put("changed", changed);
    return ControlResponse.ok("learned", out);
  }

  private static String text(JsonNode args, String field) {
    JsonNode n = args == null ? null : args.get(field);
    return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
  }
}
