package ovpnagent.console;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides per admin line (openvpn.md §2.3, §2.6) whether the console relays it to OpenVPN and how
 * the reply is framed, answers it itself, or refuses it. Only commands whose reply framing is known
 * are relayed; everything that would change or hijack the agent's own management session is
 * refused: client-auth, client-auth-nt, client-deny, client-pending-auth (the agent decides every
 * client), real-time modes ({@code log on}, {@code state on|off}, {@code echo on}, {@code
 * bytecount}: their notifications would reach the agent's session, not the admin), {@code hold
 * release|on|off}, {@code version N}, {@code env-filter}, and the client-side credential commands
 * ({@code password}, {@code username}, {@code needok}, ...). Pure: no I/O.
 */
final class ConsolePolicy {
  /** Longest line accepted (OpenVPN's input buffer is 1024 bytes including the newline). */
  static final int MAX_LINE_BYTES = 1023;

  private static final Set<String> MULTI_ALWAYS = Set.of("status", "help");
  private static final Set<String> SINGLE =
      Set.of(
          "kill",
          "client-kill",
          "signal",
          "load-stats",
          "pid",
          "verb",
          "mute",
          "forget-passwords",
          "push-update-broad",
          "push-update-cid");
  private static final Set<String> CLIENT_DECISIONS =
      Set.of("client-auth", "client-auth-nt", "client-deny", "client-pending-auth", "cr-response");
  private static final Set<String> CREDENTIALS =
      Set.of(
          "password",
          "username",
          "needok",
          "needstr",
          "pk-sig",
          "rsa-sig",
          "certificate",
          "auth-retry",
          "remote",
          "proxy",
          "remote-entry-count",
          "remote-entry-get");

  private ConsolePolicy() {}

  /** The verdict for one line (without its line ending). */
  static Verdict classify(String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
      return Verdict.ignore();
    }
    List<String> t = ConsoleTokens.split(trimmed);
    if (t.isEmpty()) {
      return Verdict.ignore();
    }
    if (t.size() > ConsoleTokens.MAX_TOKENS) {
      return Verdict.refuse("too many words (OpenVPN accepts at most 16)");
    }
    String cmd = t.get(0);
    String lc = cmd.toLowerCase(Locale.ROOT);
    int args = t.size() - 1;
    String arg1 = args >= 1 ? t.get(1).toLowerCase(Locale.ROOT) : "";
    switch (lc) {
      case "quit":
      case "exit":
        return Verdict.quit();
      case "routers":
        return args == 0 ? Verdict.local("routers") : usage("routers");
      case "dhcp":
        if (args == 1 && arg1.equals("leases")) {
          return Verdict.local("dhcp-leases");
        }
        if (args == 1 && arg1.equals("stats")) {
          return Verdict.local("dhcp-stats");
        }
        return Verdict.refuse("usage: dhcp leases | dhcp stats");
      default:
        break;
    }
    if (!cmd.equals(lc)) {
      // OpenVPN's command names are case-sensitive lower case; let it say "unknown command"
      return Verdict.single();
    }
    if (CLIENT_DECISIONS.contains(cmd)) {
      return refused(cmd, "ovpn-agent decides every client on this instance");
    }
    if (CREDENTIALS.contains(cmd)) {
      return refused(cmd, "credential and client-side commands belong to the agent's session");
    }
    if (MULTI_ALWAYS.contains(cmd)) {
      return cmd.equals("help") ? Verdict.local("help") : Verdict.multi();
    }
    if (SINGLE.contains(cmd)) {
      return Verdict.single();
    }
    switch (cmd) {
      case "version":
        return args == 0
            ? Verdict.multi()
            : refused(cmd + " " + t.get(1), "the management version is the agent's setting");
      case "state":
      case "log":
      case "echo":
        if (args == 0 || isHistory(arg1)) {
          return Verdict.multi();
        }
        if (arg1.equals("on") || arg1.equals("off")) {
          return refused(
              cmd + " " + arg1,
              "real-time notifications go to ovpn-agent's session; use '"
                  + cmd
                  + " N' or '"
                  + cmd
                  + " all'");
        }
        return Verdict.multi();
      case "bytecount":
        return refused(cmd, "real-time byte counts go to ovpn-agent's session");
      case "hold":
        return args == 0
            ? Verdict.single()
            : refused("hold " + arg1, "ovpn-agent releases the hold of this instance itself");
      case "env-filter":
        return refused(cmd, "ovpn-agent needs the full client environment");
      default:
        // unknown framing: OpenVPN would answer "unknown command" with one ERROR line
        return Verdict.refuse("unknown command, enter 'help' for more options");
    }
  }

  private static boolean isHistory(String a) {
    if (a.equals("all")) {
      return true;
    }
    if (a.isEmpty() || a.length() > 9) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      if (!Character.isDigit(a.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static Verdict usage(String cmd) {
    return Verdict.refuse("the '" + cmd + "' command takes no parameters");
  }

  private static Verdict refused(String what, String why) {
    return Verdict.refuse("command refused by ovpn-agent: " + what + " (" + why + ")");
  }
}
