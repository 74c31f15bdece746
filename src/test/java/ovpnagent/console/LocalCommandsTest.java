package ovpnagent.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.control.CommandRegistry;
import ovpnagent.control.ControlResponse;
import ovpnagent.metrics.Metrics;

class LocalCommandsTest {
  private static final JsonNodeFactory J = JsonNodeFactory.instance;

  @Test
  void emptyErrorAndMissingCommands() {
    CommandRegistry r = new CommandRegistry(new Metrics(), "t", Instant::now);
    LocalCommands l = new LocalCommands(r, "site");
    // no lease4-get-all registered: one ERROR line, never a block
    assertEquals(List.of("ERROR: 'lease4-get-all' command not supported"), l.run("dhcp-leases"));
    // no routers-get and no clients-get either
    assertEquals(List.of("ERROR: 'clients-get' command not supported"), l.run("routers"));
    r.register(
        "lease4-get-all",
        "t",
        a -> {
          ObjectNode o = J.objectNode();
          o.putArray("leases");
          return ControlResponse.empty("DHCP server not running: no bridged instance");
        });
    assertEquals(
        List.of("INFO\tDHCP server not running: no bridged instance", "END"), l.run("dhcp-leases"));
    r.register(
        "routers-get",
        "t",
        a -> {
          ObjectNode o = J.objectNode();
          o.putArray("routers").addObject().put("name", "r\n1").putNull("subnet");
          return ControlResponse.ok(o);
        });
    // routers-get wins over the clients-get fallback; control characters never split a line
    assertEquals(List.of("HEADER\tROUTER\tname\tsubnet", "ROUTER\tr 1\t", "END"), l.run("routers"));
  }
}
