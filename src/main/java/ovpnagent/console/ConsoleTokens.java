package ovpnagent.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a management command line into tokens the way OpenVPN does (openvpn.md §2.3): whitespace
 * separates, {@code "..."} and {@code '...'} group, outside single quotes a backslash escapes the
 * next character. Used only to classify a line; the line itself is relayed unchanged, so the
 * classification must see the same first word OpenVPN will.
 */
final class ConsoleTokens {
  /** OpenVPN's token limit per command line. */
  static final int MAX_TOKENS = 16;

  private ConsoleTokens() {}

  /** The tokens of {@code line}; an unterminated quote keeps what was read as the last token. */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inToken = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == 0 && Character.isWhitespace(c)) {
        if (inToken) {
          out.add(cur.toString());
          cur.setLength(0);
          inToken = false;
        }
        continue;
      }
      inToken = true;
      if (c == '\\' && quote != '\'' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else {
        cur.append(c);
      }
    }
    if (inToken) {
      out.add(cur.toString());
    }
    return out;
  }
}
