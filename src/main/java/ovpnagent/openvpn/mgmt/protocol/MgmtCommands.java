package ovpnagent.openvpn.mgmt.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders outgoing commands (openvpn.md §2.3, §2.6): quoting as OpenVPN tokenises input ({@code
 * \\}, {@code \"} escapes inside double quotes), and the input limit of 1023 bytes per line.
 */
public final class MgmtCommands {
  /** Longest line OpenVPN reads whole (its input buffer is 1024 bytes). */
  public static final int MAX_SEND_BYTES = 1023;

  private MgmtCommands() {}

  /**
   * The lines of {@code client-auth CID KID}, the body and {@code END}.
   *
   * @throws MgmtProtocolException if a body line is {@code END}, contains a line break or is too
   *     long
   */
  public static List<String> clientAuth(long cid, long kid, List<String> body) {
    List<String> out = new ArrayList<>(body.size() + 2);
    out.add("client-auth " + cid + " " + kid);
    for (String b : body) {
      if (b.strip().equals("END")) {
        throw new MgmtProtocolException("client-auth body line 'END' (expected a config line)");
      }
      out.add(b);
    }
    out.add("END");
    checkLines(out);
    return out;
  }

  /**
   * The line {@code client-deny CID KID "reason" "client reason"}; reasons are sanitized and
   * shortened to fit the line limit.
   */
  public static String clientDeny(long cid, long kid, String reason, String clientReason) {
    String r = sanitize(reason, 300);
    String line = "client-deny " + cid + " " + kid + " " + quote(r);
    if (clientReason != null && !clientReason.isEmpty()) {
      line += " " + quote(sanitize(clientReason, 300));
    }
    checkLines(List.of(line));
    return line;
  }

  /**
   * Checks that a command gets exactly one reply, so it may enter the reply FIFO (openvpn.md §2.3:
   * blank and comment lines, {@code quit}/{@code exit} and {@code version N} get none; only {@code
   * client-auth} spans several lines and must end with {@code END}).
   *
   * @throws MgmtProtocolException naming the command and why it cannot be sent
   */
  public static void checkReplyable(List<String> lines) {
    if (lines.isEmpty()) {
      throw new MgmtProtocolException("empty command (expected one line)");
    }
    String first = lines.get(0).strip();
    if (first.isEmpty() || first.startsWith("#") || first.startsWith(";")) {
      throw new MgmtProtocolException("blank or comment line gets no reply (expected a command)");
    }
    int sp = 0;
    while (sp < first.length() && !Character.isWhitespace(first.charAt(sp))) {
      sp++;
    }
    sp = sp == first.length() ? -1 : sp;
    String verb = (sp < 0 ? first : first.substring(0, sp)).toLowerCase(java.util.Locale.ROOT);
    boolean hasArgs = sp >= 0 && !first.substring(sp).isBlank();
    if (verb.equals("quit") || verb.equals("exit")) {
      throw new MgmtProtocolException(
          "'" + verb + "' closes the session (expected a command with a reply)");
    }
    if (verb.equals("version") && hasArgs) {
      throw new MgmtProtocolException(
          "'version N' gets no reply before 2.7.1 (expected 'version')");
    }
    boolean clientAuth = verb.equals("client-auth");
    if (clientAuth && (lines.size() < 2 || !lines.get(lines.size() - 1).strip().equals("END"))) {
      throw new MgmtProtocolException("client-auth without its END line (expected body + END)");
    }
    if (!clientAuth && lines.size() > 1) {
      throw new MgmtProtocolException(
          "'" + verb + "' with " + lines.size() + " lines (expected one line)");
    }
  }

  /** Double-quotes a token, escaping {@code \} and {@code "}. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '"') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }

  /**
   * Checks every line is sendable: no CR/LF inside, at most {@link #MAX_SEND_BYTES} UTF-8 bytes.
   *
   * @throws MgmtProtocolException naming the offending line
   */
  public static void checkLines(List<String> lines) {
    for (String l : lines) {
      if (l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0) {
        throw new MgmtProtocolException(
            "command line contains a line break: '" + MgmtParser.abbrev(l) + "'");
      }
      if (l.length() * 3 <= MAX_SEND_BYTES) {
        continue; // a UTF-16 char is at most 3 UTF-8 bytes: short lines need no encoding
      }
      int n = l.getBytes(StandardCharsets.UTF_8).length;
      if (n > MAX_SEND_BYTES) {
        throw new MgmtProtocolException(
            "command line of " + n + " bytes (expected at most " + MAX_SEND_BYTES + ")");
      }
    }
  }

  private static String sanitize(String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f || c > 0x7e ? ' ' : c);
    }
    return sb.toString();
  }
}
