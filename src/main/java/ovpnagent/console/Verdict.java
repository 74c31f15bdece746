package ovpnagent.console;

import ovpnagent.openvpn.mgmt.protocol.CommandResult;

/**
 * What the console does with one admin line.
 *
 * @param action what to do
 * @param reply for {@link Action#RELAY}, how OpenVPN's reply ends
 * @param text for {@link Action#REFUSE}, the text after {@code ERROR: }; for {@link Action#LOCAL},
 *     the agent command ({@code dhcp-leases}, {@code dhcp-stats}, {@code routers}, {@code help})
 */
record Verdict(Action action, CommandResult.Kind reply, String text) {
  /** The console's possible actions. */
  enum Action {
    /** Nothing to send and no reply (empty line, comment), as OpenVPN does. */
    IGNORE,
    /** Close this admin's connection; OpenVPN never sees it. */
    QUIT,
    /** Answer {@code ERROR: text} without contacting OpenVPN. */
    REFUSE,
    /** Answered by the agent. */
    LOCAL,
    /** Sent to OpenVPN unchanged; its reply is relayed. */
    RELAY
  }

  static Verdict ignore() {
    return new Verdict(Action.IGNORE, null, "");
  }

  static Verdict quit() {
    return new Verdict(Action.QUIT, null, "");
  }

  static Verdict refuse(String text) {
    return new Verdict(Action.REFUSE, null, text);
  }

  static Verdict local(String command) {
    return new Verdict(Action.LOCAL, null, command);
  }

  static Verdict single() {
    return new Verdict(Action.RELAY, CommandResult.Kind.SINGLE_LINE, "");
  }

  static Verdict multi() {
    return new Verdict(Action.RELAY, CommandResult.Kind.MULTI_LINE, "");
  }
}
