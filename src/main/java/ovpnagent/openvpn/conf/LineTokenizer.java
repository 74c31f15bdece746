package ovpnagent.openvpn.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one config line into tokens exactly like OpenVPN's {@code parse_line()}: whitespace
 * separates tokens; {@code "..."} allows the escapes {@code \\}, {@code \"} and {@code \<space>} (a
 * backslash works the same outside quotes); {@code '...'} is literal; {@code #} or {@code ;} starts
 * a comment where a token could start. Any other backslash use, an unclosed quote, a token over
 * {@link #MAX_TOKEN_CHARS} characters or more than {@link #MAX_TOKENS} tokens is an error.
 */
public final class LineTokenizer {
  /** OpenVPN's {@code MAX_PARMS}: tokens per line, the option name included. */
  public static final int MAX_TOKENS = 16;

  /** OpenVPN's {@code OPTION_PARM_SIZE}: characters per token. */
  public static final int MAX_TOKEN_CHARS = 256;

  private static final int INITIAL = 0;
  private static final int QUOTED = 1;
  private static final int UNQUOTED = 2;
  private static final int DONE = 3;
  private static final int SQUOTED = 4;

  private LineTokenizer() {}

  /**
   * Returns the tokens of {@code line} (empty for a blank or comment line).
   *
   * @param file named in the error
   * @param lineNo named in the error
   * @throws ConfParseException naming {@code file:lineNo}
   */
  public static List<String> tokenize(String line, Path file, int lineNo)
      throws ConfParseException {
    List<String> tokens = new ArrayList<>();
    StringBuilder parm = new StringBuilder();
    int state = INITIAL;
    boolean backslash = false;
    int n = line.length();
    // OpenVPN walks the C string including its terminating NUL, which counts as whitespace.
    for (int i = 0; i <= n; i++) {
      char in = i < n ? line.charAt(i) : '\0';
      char out = 0;
      if (!backslash && in == '\\' && state != SQUOTED) {
        backslash = true;
        continue;
      }
      if (state == INITIAL) {
        if (!space(in)) {
          if (in == ';' || in == '#') {
            break;
          }
          if (!backslash && in == '"') {
            state = QUOTED;
          } else if (!backslash && in == '\'') {
            state = SQUOTED;
          } else {
            out = in;
            state = UNQUOTED;
          }
        }
      } else if (state == UNQUOTED) {
        if (!backslash && space(in)) {
          state = DONE;
        } else {
          out = in;
        }
      } else if (state == QUOTED) {
        if (!backslash && in == '"') {
          state = DONE;
        } else {
          out = in;
        }
      } else if (state == SQUOTED) {
        if (in == '\'') {
          state = DONE;
        } else {
          out = in;
        }
      }
      if (state == DONE) {
        tokens.add(parm.toString());
        parm.setLength(0);
        state = INITIAL;
        if (tokens.size() > MAX_TOKENS) {
          throw new ConfParseException(
              file, lineNo, "more than " + MAX_TOKENS + " tokens on one line");
        }
      }
      if (backslash && out != 0 && !(out == '\\' || out == '"' || space(out))) {
        throw new ConfParseException(
            file,
            lineNo,
            "bad backslash ('\\') usage before '"
                + out
                + "' (only \\\\, \\\" and \\<space> are escapes; write Windows paths with"
                + " double backslashes)");
      }
      backslash = false;
      if (out != 0) {
        if (parm.length() >= MAX_TOKEN_CHARS) {
          throw new ConfParseException(
              file, lineNo, "token too long (at most " + MAX_TOKEN_CHARS + " characters)");
        }
        parm.append(out);
      }
    }
    if (state == QUOTED) {
      throw new ConfParseException(file, lineNo, "no closing quotation (\")");
    }
    if (state == SQUOTED) {
      throw new ConfParseException(file, lineNo, "no closing single quotation (')");
    }
    if (state != INITIAL) {
      // a backslash right before the end of the line leaves a token unfinished
      throw new ConfParseException(file, lineNo, "line ends inside an escape (\\ at end of line)");
    }
    return tokens;
  }

  /** C's {@code isspace()} in the C locale, plus NUL (OpenVPN's {@code space()}). */
  static boolean space(char c) {
    return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
  }
}
