package ovpnagent.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ovpnagent.control.ControlClient;
import ovpnagent.control.ControlResponse;
import ovpnagent.util.HwAddr;

/**
 * The status CLI: each command sends one control command to the running agent and prints the answer
 * as an aligned table or, with {@code --json}, as the raw JSON response. It only talks to the
 * control socket and shares no state with the agent.
 *
 * <pre>
 * status                          status-get        pid, uptime, one section per subsystem
 * instances                       instances-get
 * clients                         clients-get
 * routers                         routers-get
 * leases [--router N] [--mac M]   lease4-get-all    {"router": N, "hw-address": M}
 * quarantine                      quarantine-get
 * release MAC                     lease4-del        {"hw-address": MAC}
 * reclaim                         leases-reclaim    {"remove": false}
 * </pre>
 *
 * Exit status: 0 done (also "nothing found"), 1 the agent answered with an error or does not know
 * the command, 2 bad usage, 3 the agent is not running.
 */
public final class StatusCli {
  /** Done. */
  public static final int EXIT_OK = 0;

  /** The agent reported an error, or the connection failed. */
  public static final int EXIT_ERROR = 1;

  /** Bad command line. */
  public static final int EXIT_USAGE = 2;

  /** No agent answers on the control socket. */
  public static final int EXIT_NOT_RUNNING = 3;

  /** The CLI's commands, in usage order. */
  public static final List<String> COMMANDS =
      List.of(
          "status",
          "instances",
          "clients",
          "routers",
          "leases",
          "quarantine",
          "release",
          "reclaim");

  /** The socket used when the config names none (the config loader's default too). */
  public static final Path DEFAULT_SOCKET = Path.of("/run/ovpn-agent/control.sock");

  /** The agent config used when neither --config nor $OVPN_AGENT_CONFIG names one. */
  public static final Path DEFAULT_CONFIG = Path.of("/etc/ovpn-agent/agent.json");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper CONFIG_JSON =
      JsonMapper.builder().enable(JsonParser.Feature.ALLOW_COMMENTS).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private StatusCli() {}

  /** Standalone entry point: {@code java -cp ovpn-agent.jar ovpnagent.cli.StatusCli status}. */
  public static void main(String[] argv) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, UTF_8);
    System.exit(runArgs(List.of(argv), System.getenv(), out, err));
  }

  /**
   * Runs a whole command line {@code [--config FILE] [--control SOCKET] COMMAND [ARGS]}: the socket
   * is {@code --control}, else {@code $OVPN_AGENT_CONTROL}, else {@code control.socket} of the
   * config ({@code --config}, else {@code $OVPN_AGENT_CONFIG}, else {@link #DEFAULT_CONFIG}).
   */
  public static int runArgs(
      List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
    Path config = null;
    Path socket = null;
    String command = null;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if ((a.equals("--config") || a.equals("--control")) && i + 1 < argv.size()) {
        Path p = Path.of(argv.get(++i));
        if (a.equals("--config")) {
          config = p;
        } else {
          socket = p;
        }
      } else if (a.startsWith("--config=")) {
        config = Path.of(a.substring("--config=".length()));
      } else if (a.startsWith("--control=")) {
        socket = Path.of(a.substring("--control=".length()));
      } else if (command == null && !a.startsWith("-")) {
        command = a;
      } else {
        rest.add(a);
      }
    }
    if (command == null) {
      usage(err);
      return EXIT_USAGE;
    }
    if (socket == null && env.get("OVPN_AGENT_CONTROL") != null) {
      socket = Path.of(env.get("OVPN_AGENT_CONTROL"));
    }
    if (socket == null) {
      if (config == null) {
        String e = env.get("OVPN_AGENT_CONFIG");
        config = e != null && !e.isEmpty() ? Path.of(e) : DEFAULT_CONFIG;
      }
      socket = socketFor(config);
    }
    return run(command, rest, socket, out, err);
  }

  /**
   * The control socket named by an agent config ({@code control.socket}, relative to the config's
   * directory), or {@link #DEFAULT_SOCKET} when the file is unreadable (group members may not read
   * a config that holds the management password) or names none. Reads only that key, so a config
   * the agent would reject for other reasons still leads the CLI to the socket.
   */
  public static Path socketFor(Path config) {
    JsonNode root;
    try {
      root = CONFIG_JSON.readTree(Files.readString(config));
    } catch (IOException | RuntimeException e) {
      return DEFAULT_SOCKET;
    }
    JsonNode s = root == null ? null : root.path("control").path("socket");
    if (s == null || !s.isTextual() || s.asText().isEmpty()) {
      return DEFAULT_SOCKET;
    }
    Path p = Path.of(s.asText());
    Path dir = config.toAbsolutePath().getParent();
    return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
  }

  /** True if {@code command} is one of {@link #COMMANDS}. */
  public static boolean handles(String command) {
    return COMMANDS.contains(command);
  }

  /**
   * Runs one CLI command against the agent at {@code controlSocket}.
   *
   * @param command one of {@link #COMMANDS}
   * @param args the remaining arguments ({@code --json}, {@code --router NAME}, a MAC, ...)
   * @return the exit status
   */
  public static int run(
      String command, List<String> args, Path controlSocket, PrintStream out, PrintStream err) {
    return run(command, args, controlSocket, out, err, TIMEOUT);
  }

  /** As {@link #run(String, List, Path, PrintStream, PrintStream)} with a custom timeout. */
  public static int run(
      String command,
      List<String> args,
      Path controlSocket,
      PrintStream out,
      PrintStream err,
      Duration timeout) {
    Request req;
    try {
      req = parse(command, args);
    } catch (IllegalArgumentException e) {
      err.println("ovpn-agent: " + e.getMessage());
      usage(err);
      return EXIT_USAGE;
    }
    ObjectNode resp;
    try {
      resp = new ControlClient(controlSocket, timeout).call(req.control, req.arguments);
    } catch (ControlClient.NotRunningException e) {
      err.println(e.getMessage());
      return EXIT_NOT_RUNNING;
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Permission denied")) {
        err.println(
            "ovpn-agent: permission denied on "
                + controlSocket
                + " (run as root or as a member of the control group)");
      } else {
        err.println("ovpn-agent: control request failed: " + m);
      }
      return EXIT_ERROR;
    }
    int result = resp.path("result").asInt();
    String text = resp.path("text").asText("");
    if (req.json) {
      try {
        out.println(JSON.writeValueAsString(resp));
      } catch (IOException e) {
        err.println("ovpn-agent: " + e.getMessage());
        return EXIT_ERROR;
      }
      return result == ControlResponse.SUCCESS || result == ControlResponse.EMPTY
          ? EXIT_OK
          : EXIT_ERROR;
    }
    switch (result) {
      case ControlResponse.SUCCESS:
        print(command, text, resp.get("arguments"), out);
        return EXIT_OK;
      case ControlResponse.EMPTY:
        out.println(TextRenderer.clean(text.isEmpty() ? "nothing found" : text));
        return EXIT_OK;
      case ControlResponse.UNSUPPORTED:
        err.println(
            "ovpn-agent: the running agent does not support '"
                + req.control
                + "' ("
                + TextRenderer.clean(text)
                + ")");
        return EXIT_ERROR;
      default:
        err.println("ovpn-agent: " + command + " failed: " + TextRenderer.clean(text));
        return EXIT_ERROR;
    }
  }

  private static void print(String command, String text, JsonNode args, PrintStream out) {
    TextRenderer r = new TextRenderer(out);
    if (command.equals("status") && args != null && args.isObject()) {
      ObjectNode rest = ((ObjectNode) args).deepCopy();
      JsonNode version = rest.remove("version");
      JsonNode pid = rest.remove("pid");
      JsonNode uptime = rest.remove("uptime");
      rest.remove("started");
      out.println(
          "ovpn-agent "
              + TextRenderer.cell(version)
              + "  pid "
              + TextRenderer.cell(pid)
              + "  up "
              + (uptime != null && uptime.canConvertToLong()
                  ? uptime(uptime.asLong())
                  : TextRenderer.cell(uptime)));
      if (rest.size() > 0) {
        out.println();
        r.render(rest);
      }
      return;
    }
    if (command.equals("release") || command.equals("reclaim")) {
      out.println(TextRenderer.clean(text));
    }
    if (args != null && !args.isNull()) {
      r.render(args);
    }
  }

  /** Formats seconds as {@code 2d 3h 4m 5s}, leaving out leading zero units. */
  static String uptime(long seconds) {
    long d = seconds / 86400;
    long h = seconds / 3600 % 24;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    StringBuilder b = new StringBuilder();
    if (d > 0) {
      b.append(d).append("d ");
    }
    if (d > 0 || h > 0) {
      b.append(h).append("h ");
    }
    if (d > 0 || h > 0 || m > 0) {
      b.append(m).append("m ");
    }
    return b.append(s).append('s').toString();
  }

  private record Request(String control, ObjectNode arguments, boolean json) {}

  private static Request parse(String command, List<String> args) {
    boolean json = false;
    List<String> rest = new ArrayList<>();
    Map<String, String> opts = new java.util.LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--json")) {
        json = true;
      } else if (a.equals("--router") || a.equals("--mac")) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        opts.put(a, args.get(++i));
      } else if (a.startsWith("--router=") || a.startsWith("--mac=")) {
        int eq = a.indexOf('=');
        opts.put(a.substring(0, eq), a.substring(eq + 1));
      } else if (a.startsWith("--")) {
        throw new IllegalArgumentException("unknown option " + a);
      } else {
        rest.add(a);
      }
    }
    if (command == null || !handles(command)) {
      throw new IllegalArgumentException("unknown command '" + command + "'");
    }
    if (!command.equals("leases") && !opts.isEmpty()) {
      throw new IllegalArgumentException(
          opts.keySet().iterator().next() + " only applies to 'leases'");
    }
    int positional = command.equals("release") ? 1 : 0;
    if (rest.size() != positional) {
      throw new IllegalArgumentException(
          command.equals("release")
              ? "release needs exactly one MAC address"
              : command + " takes no arguments, got " + rest);
    }
    ObjectNode a = JSON.createObjectNode();
    String control;
    switch (command) {
      case "status":
        control = "status-get";
        break;
      case "instances":
        control = "instances-get";
        break;
      case "clients":
        control = "clients-get";
        break;
      case "routers":
        control = "routers-get";
        break;
      case "quarantine":
        control = "quarantine-get";
        break;
      case "leases":
        control = "lease4-get-all";
        if (opts.containsKey("--router")) {
          a.put("router", opts.get("--router"));
        }
        if (opts.containsKey("--mac")) {
          a.put("hw-address", mac(opts.get("--mac")));
        }
        break;
      case "release":
        control = "lease4-del";
        a.put("hw-address", mac(rest.get(0)));
        break;
      case "reclaim":
        control = "leases-reclaim";
        a.put("remove", false);
        break;
      default:
        throw new IllegalArgumentException("unknown command '" + command + "'");
    }
    return new Request(control, a, json);
  }

  private static String mac(String text) {
    return HwAddr.parse(text).toString();
  }

  /** Prints the CLI usage. */
  public static void usage(PrintStream s) {
    s.println("usage: ovpn-agent <command> [--config FILE] [--control SOCKET] [--json]");
    s.println("  status                             agent, instances, DHCP, pools, drops");
    s.println("  instances                          OpenVPN instances and their management state");
    s.println("  clients                            connected clients");
    s.println("  routers                            routers and the MACs behind them");
    s.println("  leases [--router NAME] [--mac MAC] DHCP leases");
    s.println("  quarantine                         declined addresses on probation");
    s.println("  release MAC                        free the lease of MAC");
    s.println("  reclaim                            run lease expiry now");
  }
}
