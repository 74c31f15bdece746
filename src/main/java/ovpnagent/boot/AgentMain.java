package ovpnagent.boot;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import ovpnagent.config.AgentConfig;
import ovpnagent.config.ConfigException;
import ovpnagent.config.ConfigLoader;

/** Runs one command of the command line against a loaded config. */
public final class AgentMain {
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
        return 2;
    }
    AgentConfig config;
    try {
      config = ConfigLoader.load(configPath);
    } catch (ConfigException e) {
      err.println("ovpn-agent: config error: " + e.getMessage());
      return 2;
    }
    if (command.equals("check")) {
      out.println("config " + configPath + " is valid");
      return 0;
    }
    return 0;
  }
}
