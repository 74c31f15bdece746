package ovpnagent.openvpn.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ovpnagent.util.Ipv4;

/** Turns the raw option list into a {@link ServerConf}; checks the arguments it interprets. */
final class OptionInterpreter {
  /** Most arguments OpenVPN 2.6 accepts for each interpreted option (more is fatal there). */
  private static final Map<String, Integer> MAX_ARGS =
      Map.ofEntries(
          Map.entry("dev", 1),
          Map.entry("dev-type", 1),
          Map.entry("mode", 1),
          Map.entry("tls-server", 0),
          Map.entry("client", 0),
          Map.entry("tls-client", 0),
          Map.entry("server", 3),
          Map.entry("server-bridge", 4),
          Map.entry("ifconfig", 2),
          Map.entry("ifconfig-pool", 3),
          Map.entry("topology", 1),
          Map.entry("management", 3),
          Map.entry("management-client-auth", 0),
          Map.entry("auth-user-pass-optional", 0),
          Map.entry("management-hold", 0),
          Map.entry("learn-address", 1),
          Map.entry("up", 1),
          Map.entry("script-security", 1),
          Map.entry("vlan-tagging", 0),
          Map.entry("client-config-dir", 1),
          Map.entry("duplicate-cn", 0),
          Map.entry("push", 1),
          Map.entry("route", 4),
          Map.entry("cd", 1));

  private OptionInterpreter() {}

  static ServerConf interpret(Path source, List<ConfOption> options, Path cwd)
      throws ConfParseException {
    String dev = null;
    String devType = null;
    boolean modeServer = false;
    boolean tlsServer = false;
    boolean client = false;
    ServerDirective server = null;
    ServerBridge bridge = null;
    Ifconfig ifconfig = null;
    IfconfigPool pool = null;
    Topology topology = Topology.DEFAULT;
    boolean topologyExplicit = false;
    ManagementEndpoint management = null;
    boolean clientAuth = false;
    boolean userPassOptional = false;
    boolean hold = false;
    ScriptCommand learn = null;
    int scriptSecurity = 1;
    boolean vlan = false;
    Path ccd = null;
    ScriptCommand up = null;
    boolean duplicateCn = false;
    List<String> push = new ArrayList<>();
    List<String> routes = new ArrayList<>();

    for (ConfOption o : options) {
      if (o.inline()) {
        continue;
      }
      Integer max = MAX_ARGS.get(o.name());
      if (max != null && o.args().size() > max) {
        throw bad(
            o,
            o.name()
                + ": too many arguments ("
                + o.args().size()
                + ", at most "
                + max
                + "; quote a value that contains spaces)");
      }
      switch (o.name()) {
        case "dev" -> dev = arg(o, 0, "a device name");
        case "dev-type" -> {
          devType = arg(o, 0, "tun or tap");
          if (!devType.equals("tun") && !devType.equals("tap") && !devType.equals("null")) {
            throw bad(o, "dev-type must be tun or tap, got '" + devType + "'");
          }
        }
        case "mode" -> {
          String m = arg(o, 0, "server or p2p");
          if (!m.equals("server") && !m.equals("p2p")) {
            throw bad(o, "mode must be server or p2p, got '" + m + "'");
          }
          modeServer = m.equals("server");
        }
        case "tls-server" -> tlsServer = true;
        case "client", "tls-client" -> client = true;
        case "server" -> {
          int net = ip(o, 0, "network");
          int mask = ip(o, 1, "netmask");
          String flag = o.arg(2);
          if (flag != null && !flag.equals("nopool")) {
            throw bad(o, "server: unknown flag '" + flag + "' (expected nopool)");
          }
          server = new ServerDirective(net, mask, flag != null);
        }
        case "server-bridge" -> bridge = serverBridge(o);
        case "ifconfig" -> ifconfig = new Ifconfig(ip(o, 0, "local address"), ip(o, 1, "netmask"));
        case "ifconfig-pool" -> {
          int start = ip(o, 0, "start address");
          int end = ip(o, 1, "end address");
          int mask = o.arg(2) == null ? 0 : ip(o, 2, "netmask");
          if (Ipv4.compare(start, end) > 0) {
            throw bad(o, "ifconfig-pool: start " + o.arg(0) + " is after end " + o.arg(1));
          }
          pool = new IfconfigPool(start, end, mask);
        }
        case "topology" -> {
          String t = arg(o, 0, "net30, p2p or subnet");
          topology =
              switch (t) {
                case "net30" -> Topology.NET30;
                case "p2p" -> Topology.P2P;
                case "subnet" -> Topology.SUBNET;
                default -> throw bad(o, "topology must be net30, p2p or subnet, got '" + t + "'");
              };
          topologyExplicit = true;
        }
        case "management" -> management = management(o, cwd);
        case "management-client-auth" -> clientAuth = true;
        case "auth-user-pass-optional" -> userPassOptional = true;
        case "management-hold" -> hold = true;
        case "learn-address" -> learn = script(o, cwd);
        case "up" -> up = script(o, cwd);
        case "script-security" -> {
          String s = arg(o, 0, "a level 0-3");
          if (!s.matches("[0-3]")) {
            throw bad(o, "script-security must be 0, 1, 2 or 3, got '" + s + "'");
          }
          scriptSecurity = Integer.parseInt(s);
        }
        case "vlan-tagging" -> vlan = true;
        case "client-config-dir" -> ccd = cwd.resolve(arg(o, 0, "a directory")).normalize();
        case "duplicate-cn" -> duplicateCn = true;
        case "push" -> push.add(arg(o, 0, "a quoted option"));
        case "route" -> {
          arg(o, 0, "a network");
          routes.add(String.join(" ", o.args()));
        }
        default -> {
          // not needed by the agent
        }
      }
    }
    return new ServerConf(
        source,
        cwd,
        dev,
        devType,
        DeviceKind.of(dev, devType),
        modeServer,
        tlsServer,
        client,
        server,
        bridge,
        ifconfig,
        pool,
        topology,
        topologyExplicit,
        management,
        clientAuth,
        userPassOptional,
        hold,
        learn,
        scriptSecurity,
        vlan,
        ccd,
        up,
        duplicateCn,
        push,
        routes,
        options);
  }

  private static ServerBridge serverBridge(ConfOption o) throws ConfParseException {
    int n = o.args().size();
    if (n == 0) {
      return new ServerBridge(ServerBridge.Form.DHCP_PROXY, 0, 0, 0, 0);
    }
    if (n == 1 && o.arg(0).equals("nogw")) {
      return new ServerBridge(ServerBridge.Form.NOGW, 0, 0, 0, 0);
    }
    if (n == 4) {
      int start = ip(o, 2, "pool start");
      int end = ip(o, 3, "pool end");
      if (Ipv4.compare(start, end) > 0) {
        throw bad(o, "server-bridge: pool start " + o.arg(2) + " is after pool end " + o.arg(3));
      }
      return new ServerBridge(
          ServerBridge.Form.POOL, ip(o, 0, "gateway"), ip(o, 1, "netmask"), start, end);
    }
    throw bad(
        o,
        "server-bridge takes no arguments, 'nogw', or GATEWAY NETMASK POOL-START POOL-END; got "
            + n
            + " arguments");
  }

  private static ManagementEndpoint management(ConfOption o, Path cwd) throws ConfParseException {
    String where = arg(o, 0, "a host or socket path");
    String port = arg(o, 1, "a port or 'unix'");
    String pw = o.arg(2);
    Path pwFile = pw == null || pw.equals("stdin") ? null : cwd.resolve(pw).normalize();
    boolean stdin = "stdin".equals(pw);
    if (port.equals("unix")) {
      return new ManagementEndpoint(
          ManagementEndpoint.Kind.UNIX, cwd.resolve(where).normalize(), null, 0, pwFile, stdin);
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw bad(o, "management: port must be 0-65535 or 'unix', got '" + port + "'");
    }
    return new ManagementEndpoint(
        ManagementEndpoint.Kind.TCP, null, where, Integer.parseInt(port), pwFile, stdin);
  }

  private static ScriptCommand script(ConfOption o, Path cwd) throws ConfParseException {
    String cmd = arg(o, 0, "a command");
    String first = cmd.strip().split("[ \t]+", 2)[0];
    return new ScriptCommand(cmd, cwd.resolve(first).normalize());
  }

  private static String arg(ConfOption o, int i, String expected) throws ConfParseException {
    String a = o.arg(i);
    if (a == null || a.isEmpty()) {
      throw bad(o, o.name() + ": missing argument " + (i + 1) + " (expected " + expected + ")");
    }
    return a;
  }

  private static int ip(ConfOption o, int i, String what) throws ConfParseException {
    String a = arg(o, i, "an IPv4 " + what);
    try {
      return Ipv4.parse(a);
    } catch (IllegalArgumentException e) {
      throw new ConfParseException(
          o.file(), o.line(), o.name() + ": " + what + " '" + a + "' is not an IPv4 address", e);
    }
  }

  private static ConfParseException bad(ConfOption o, String reason) {
    return new ConfParseException(o.file(), o.line(), reason);
  }
}
