package ovpnagent.boot;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import ovpnagent.config.AgentConfig;
import ovpnagent.config.ConfigException;
import ovpnagent.config.ConfigLoader;
import ovpnagent.instance.AgentPlan;
import ovpnagent.instance.PlanPrinter;
import ovpnagent.logging.LogSetup;
import ovpnagent.openvpn.conf.ConfParseException;

/** Runs one command of the command line against a loaded config. */
public final class AgentMain {
  /** Exit status: bad config (nothing was bound). */
  public static final int EXIT_CONFIG = 2;

  private AgentMain() {}

  /** Dispatches a command; returns the process exit status. */
  public static int dispatch(
      String command, Path configPath, List<String> args, PrintStream out, PrintStream err) {
    switch (command) {
      case "run":
      case "check":
        break;
      default:
        err.println("ovpn-agent: unknown command '" + command + "'");
        err.println("  run | check [--config FILE]       run the agent / validate the config");
        ovpnagent.cli.StatusCli.usage(err);
        return EXIT_CONFIG;
    }
    AgentConfig config;
    AgentPlan plan;
    try {
      config = ConfigLoader.load(configPath);
      plan = AgentPlan.build(config);
    } catch (ConfigException e) {
      err.println("ovpn-agent: config error: " + e.getMessage());
      return EXIT_CONFIG;
    } catch (ConfParseException e) {
      err.println("ovpn-agent: openvpn config error: " + e.getMessage());
      return EXIT_CONFIG;
    }
    if (command.equals("check")) {
      out.println("config " + configPath.toAbsolutePath() + " is valid");
      PlanPrinter.print(plan, out);
      return 0;
    }
    try {
      LogSetup.configure(config.log());
    } catch (IOException e) {
      err.println("ovpn-agent: config error: log.file: " + e.getMessage());
      return EXIT_CONFIG;
    }
    return Runner.run(config, plan, err);
  }
}
