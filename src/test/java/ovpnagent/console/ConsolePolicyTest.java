package ovpnagent.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import ovpnagent.console.Verdict.Action;
import ovpnagent.openvpn.mgmt.protocol.CommandResult.Kind;

class ConsolePolicyTest {
  private static void relay(String line, Kind kind) {
    Verdict v = ConsolePolicy.classify(line);
    assertEquals(Action.RELAY, v.action(), line);
    assertEquals(kind, v.reply(), line);
  }

  private static void refused(String line) {
    Verdict v = ConsolePolicy.classify(line);
    assertEquals(Action.REFUSE, v.action(), line);
    assertTrue(v.text().startsWith("command refused by ovpn-agent: "), line + " -> " + v.text());
  }

  @Test
  void framingPerCommand() {
    relay("status", Kind.MULTI_LINE);
    relay("status 3", Kind.MULTI_LINE);
    relay("state", Kind.MULTI_LINE);
    relay("state 5", Kind.MULTI_LINE);
    relay("state all", Kind.MULTI_LINE);
    relay("log 5", Kind.MULTI_LINE);
    relay("log all", Kind.MULTI_LINE);
    relay("version", Kind.MULTI_LINE);
    relay("kill router-a", Kind.SINGLE_LINE);
    relay("kill udp:198.18.1.2:1194", Kind.SINGLE_LINE);
    relay("client-kill 3", Kind.SINGLE_LINE);
    relay("signal SIGUSR2", Kind.SINGLE_LINE);
    relay("load-stats", Kind.SINGLE_LINE);
    relay("pid", Kind.SINGLE_LINE);
    relay("verb", Kind.SINGLE_LINE);
    relay("hold", Kind.SINGLE_LINE);
    relay("Status 3", Kind.SINGLE_LINE); // OpenVPN answers "unknown command" in one line
  }

  @Test
  void refusesWhatBreaksTheAgentsSession() {
    for (String l :
        List.of(
            "client-auth 0 1",
            "client-auth-nt 0 1",
            "client-deny 0 1 no",
            "client-pending-auth 0 1 x 30",
            "\"client-auth\" 0 1",
            "client\\-auth 0 1",
            "  'client-auth-nt' 0 1",
            "password 'Auth' secret",
            "username Auth x",
            "hold release",
            "hold off",
            "version 3",
            "state on",
            "state off",
            "log on",
            "log on all",
            "echo on",
            "bytecount 5",
            "env-filter 2")) {
      refused(l);
    }
  }

  @Test
  void localQuitIgnoreAndUnknown() {
    assertEquals(Action.QUIT, ConsolePolicy.classify("quit").action());
    assertEquals(Action.QUIT, ConsolePolicy.classify("exit").action());
    assertEquals(Action.QUIT, ConsolePolicy.classify("\"quit\"").action());
    assertEquals(Action.IGNORE, ConsolePolicy.classify("").action());
    assertEquals(Action.IGNORE, ConsolePolicy.classify("  # comment").action());
    assertEquals(Action.IGNORE, ConsolePolicy.classify("; comment").action());
    assertEquals("dhcp-leases", ConsolePolicy.classify("dhcp leases").text());
    assertEquals("dhcp-stats", ConsolePolicy.classify("dhcp  stats").text());
    assertEquals("routers", ConsolePolicy.classify("routers").text());
    assertEquals(Action.LOCAL, ConsolePolicy.classify("help").action());
    assertEquals(Action.REFUSE, ConsolePolicy.classify("dhcp").action());
    Verdict u = ConsolePolicy.classify("frobnicate 1");
    assertEquals(Action.REFUSE, u.action());
    assertEquals("unknown command, enter 'help' for more options", u.text());
    assertEquals(
        Action.REFUSE, ConsolePolicy.classify("kill a b c d e f g h i j k l m n o p q").action());
  }
}
