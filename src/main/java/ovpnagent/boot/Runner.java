package ovpnagent.boot;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.config.AgentConfig;
import ovpnagent.instance.AgentPlan;
import ovpnagent.instance.PlanPrinter;

/** {@code ovpn-agent run}: builds the services, starts them, and waits for SIGTERM. */
final class Runner {
  private Runner() {}

  static int run(AgentConfig config, AgentPlan plan, PrintStream err) {
    Logger log = LoggerFactory.getLogger(Runner.class);
    PlanPrinter.log(plan, log);
    Wiring wiring = new Wiring(config, plan);
    Agent agent = new Agent(wiring.services());
    Thread hook = new Thread(agent::close, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      agent.start();
    } catch (Exception e) {
      err.println("ovpn-agent: failed to start: " + e.getMessage());
      log.error("event=agent_start_failed reason=\"{}\"", e.toString());
      return 1;
    }
    log.info("event=agent_started pid={}", ProcessHandle.current().pid());
    try {
      agent.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
