package ovpnagent.link;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import ovpnagent.config.BridgeConfig;
import ovpnagent.link.netlink.RtnlRequests;
import ovpnagent.util.Cidr;

/**
 * Brings the bridge, its TAPs and LAN ports to the configured state (issue 4): every step checks
 * before it acts, so it converges from any half-built state and a re-run takes no action. There is
 * deliberately no teardown.
 */
public final class BridgeConvergence {
  private final String bridge;
  private final Cidr address;
  private final List<String> taps;
  private final List<String> lanInterfaces;
  private final boolean proxyArp;

  /**
   * Creates the plan; {@code taps} come from bridged instances only.
   *
   * @throws IllegalArgumentException on a bad interface name or a TAP listed as LAN interface
   */
  public BridgeConvergence(
      String bridge,
      Cidr address,
      List<String> taps,
      List<String> lanInterfaces,
      boolean proxyArp) {
    this.bridge = RtnlRequests.checkName(bridge);
    this.address = address;
    this.taps = List.copyOf(taps);
    this.lanInterfaces = List.copyOf(lanInterfaces);
    this.proxyArp = proxyArp;
    this.taps.forEach(RtnlRequests::checkName);
    this.lanInterfaces.forEach(RtnlRequests::checkName);
    for (String t : this.taps) {
      if (t.equals(bridge) || this.lanInterfaces.contains(t)) {
        throw new IllegalArgumentException("tap " + t + " is also the bridge or a lan interface");
      }
    }
  }

  /** The plan for a bridge config and the TAP names of its bridged instances. */
  public static BridgeConvergence of(BridgeConfig config, List<String> taps) {
    return new BridgeConvergence(
        config.name(), config.address(), taps, config.lanInterfaces(), config.proxyArp());
  }

  /** The bridge name. */
  public String bridge() {
    return bridge;
  }

  /** The managed TAP names. */
  public List<String> taps() {
    return taps;
  }

  /**
   * Converges everything and returns the actions taken (empty when already converged).
   *
   * @throws IOException naming the failed step (e.g. a TAP name taken by a non-TAP, a missing LAN
   *     interface)
   */
  public List<String> converge(LinkManager links) throws IOException {
    List<String> actions = new ArrayList<>();
    if (links.ensureBridge(bridge)) {
      actions.add("create bridge " + bridge);
    }
    if (address != null && links.ensureAddress(bridge, address)) {
      actions.add("add address " + address + " to " + bridge);
    }
    if (links.setProxyArp(bridge, proxyArp)) {
      actions.add("set proxy_arp " + (proxyArp ? 1 : 0) + " on " + bridge);
    }
    if (links.setUp(bridge)) {
      actions.add("set " + bridge + " up");
    }
    for (String tap : taps) {
      if (links.ensureTap(tap)) {
        actions.add("create tap " + tap);
      }
      actions.addAll(convergeTap(links, tap));
    }
    for (String lan : lanInterfaces) {
      if (links.link(lan).isEmpty()) {
        throw new IOException("lan interface " + lan + " does not exist (bridge.lanInterfaces)");
      }
      actions.addAll(convergePort(links, lan));
    }
    return actions;
  }

  /**
   * Re-attaches an existing TAP: enslaves it (if its master is not the bridge), sets it up and
   * applies proxy ARP; returns the actions taken.
   */
  public List<String> convergeTap(LinkManager links, String tap) throws IOException {
    List<String> actions = convergePort(links, tap);
    if (links.setProxyArp(tap, proxyArp)) {
      actions.add("set proxy_arp " + (proxyArp ? 1 : 0) + " on " + tap);
    }
    return actions;
  }

  private List<String> convergePort(LinkManager links, String dev) throws IOException {
    List<String> actions = new ArrayList<>();
    if (links.setMaster(dev, bridge)) {
      actions.add("set " + dev + " master " + bridge);
    }
    if (links.setUp(dev)) {
      actions.add("set " + dev + " up");
    }
    return actions;
  }
}
