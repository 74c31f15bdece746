package ovpnagent;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ovpnagent.boot.AgentMain;
import ovpnagent.cli.StatusCli;
import ovpnagent.config.ConfigLoader;

/**
 * Entry point: parses the command line and hands over to {@link AgentMain}. No protocol work here.
 *
 * <pre>
 * ovpn-agent run   [--config FILE]    run in the foreground until SIGTERM
 * ovpn-agent check [--config FILE]    validate and print what would run (exit 0, or 2)
 * </pre>
 *
 * The config is {@code --config FILE}, else {@code $OVPN_AGENT_CONFIG}, else {@code
 * /etc/ovpn-agent/agent.json}.
 */
public final class Main {
  /** Exit status for a bad command line or config. */
  public static final int EXIT_CONFIG = 2;

  private Main() {}

  @ovpnagent.util.SuppressForbidden(reason = "the command line's own output and errors")
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs a command and returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      usage(args.length == 0 ? err : out);
      return args.length == 0 ? EXIT_CONFIG : 0;
    }
    String command = args[0];
    if (StatusCli.handles(command)) {
      // the status CLI parses its own options (--config, --control, --json, ...)
      return StatusCli.runArgs(List.of(args), System.getenv(), out, err);
    }
    Path config = null;
    List<String> rest = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--config") || args[i].equals("-c")) {
        if (i + 1 >= args.length) {
          err.println("ovpn-agent: --config needs a file");
          return EXIT_CONFIG;
        }
        config = Path.of(args[++i]);
      } else if (args[i].startsWith("--config=")) {
        config = Path.of(args[i].substring("--config=".length()));
      } else {
        rest.add(args[i]);
      }
    }
    if (config == null) {
      String env = System.getenv("OVPN_AGENT_CONFIG");
      config = env != null && !env.isEmpty() ? Path.of(env) : ConfigLoader.DEFAULT_PATH;
    }
    return AgentMain.dispatch(command, config, rest, out, err);
  }

  private static void usage(PrintStream s) {
    s.println("usage: ovpn-agent <command> [--config FILE] [args]");
    s.println("  run       run the agent in the foreground until SIGTERM");
    s.println("  check     validate the config and print what would run");
    StatusCli.usage(s);
  }
}
