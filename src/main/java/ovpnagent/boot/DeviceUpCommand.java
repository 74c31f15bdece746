package ovpnagent.boot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.config.BridgeConfig;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlResponse;
import ovpnagent.instance.AgentPlan;
import ovpnagent.instance.InstanceMode;
import ovpnagent.instance.InstancePlan;
import ovpnagent.link.BridgeConvergence;
import ovpnagent.link.BridgeService;
import ovpnagent.logging.Events;

/** The {@code device-up} control command sent by {@code hooks/up}. */
final class DeviceUpCommand {
  private static final Logger DEVICE_LOG = LoggerFactory.getLogger("ovpnagent.hooks");
  private static final Pattern DEV_NAME = Pattern.compile("[A-Za-z0-9._-]{1,15}");

  private DeviceUpCommand() {}

  /**
   * The {@code up} hook's {@code device-up} command ({@code dev}, {@code mtu}, optional {@code
   * context}, {@code instance}): logged, and for a bridged instance's TAP the bridge convergence is
   * run again for that TAP (enslaved to the bridge, up, proxy ARP as configured).
   */
  static void register(
      CommandRegistry registry,
      AgentPlan plan,
      BridgeConfig bridgeConfig,
      BridgeService bridge,
      List<String> taps) {
    BridgeConvergence conv = bridge == null ? null : BridgeConvergence.of(bridgeConfig, taps);
    registry.register(
        "device-up",
        "the up hook: an OpenVPN device exists; arguments: dev, mtu, context, instance",
        args -> {
          String dev = args.path("dev").asText("");
          if (!DEV_NAME.matcher(dev).matches()) {
            return ControlResponse.error("'dev' must be an interface name of 1-15 characters");
          }
          String mtu = args.path("mtu").asText("");
          String context = args.path("context").asText("");
          String inst = args.path("instance").asText("");
          InstancePlan match = null;
          for (InstancePlan p : plan.instances()) {
            if (dev.equals(p.device()) && (inst.isEmpty() || inst.equals(p.name()))) {
              match = p;
              break;
            }
          }
          ObjectNode res = JsonNodeFactory.instance.objectNode();
          res.put("dev", dev);
          res.put("instance", match == null ? "" : match.name());
          ArrayNode actions = res.putArray("actions");
          boolean bridged =
              match != null && match.mode() == InstanceMode.BRIDGED_TAP && taps.contains(dev);
          res.put("bridged", bridged);
          if (bridged && conv != null && bridge.links() != null) {
            for (String a : conv.convergeTap(bridge.links(), dev)) {
              actions.add(a);
            }
          }
          DEVICE_LOG.info(
              "event=device_up dev={} mtu={} context={} instance={} bridged={} actions={}",
              Events.value(dev),
              Events.value(mtu),
              Events.value(context),
              Events.value(match == null ? inst : match.name()),
              bridged,
              actions.size());
          return ControlResponse.ok(
              match == null
                  ? "device " + dev + " is not used by a configured instance"
                  : "device " + dev + " of instance " + match.name() + " handled",
              res);
        });
  }
}
