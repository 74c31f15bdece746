package ovpnagent.openvpn.mgmt.protocol;

import java.util.List;

/**
 * The reply to one command (openvpn.md §2.3): a single {@code SUCCESS:}/{@code ERROR:} line, or the
 * lines of a multi-line block without its {@code END}.
 *
 * @param success false for an {@code ERROR:} reply
 * @param message the text after {@code SUCCESS:}/{@code ERROR:} (trimmed), or "" for a block
 * @param lines the block's lines (empty for single-line replies)
 */
public record CommandResult(boolean success, String message, List<String> lines) {
  public CommandResult {
    lines = List.copyOf(lines);
  }

  /** How a command's reply ends. */
  public enum Kind {
    /** Ends at one {@code SUCCESS:} or {@code ERROR:} line. */
    SINGLE_LINE,
    /** Ends at {@code END} (or an {@code ERROR:} line instead of the block). */
    MULTI_LINE
  }

  /** Collects the reply lines of one outstanding command; never sees {@code >} lines. */
  public static final class Collector {
    private final Kind kind;
    private final java.util.ArrayList<String> lines = new java.util.ArrayList<>();
    private final int maxLines;

    /** A collector for a reply of this kind, refusing blocks longer than {@code maxLines}. */
    public Collector(Kind kind, int maxLines) {
      this.kind = kind;
      this.maxLines = maxLines;
    }

    /**
     * Accepts one reply line; returns the result when the reply is complete, else null.
     *
     * @throws MgmtProtocolException for a line that cannot belong to this reply
     */
    public CommandResult accept(String line) {
      if (line.startsWith("ERROR:")) {
        return new CommandResult(false, line.substring(6).trim(), List.of());
      }
      if (kind == Kind.SINGLE_LINE) {
        if (line.startsWith("SUCCESS:")) {
          return new CommandResult(true, line.substring(8).trim(), List.of());
        }
        throw new MgmtProtocolException(
            "reply '" + MgmtParser.abbrev(line) + "' (expected SUCCESS: or ERROR:)");
      }
      if (line.equals("END")) {
        return new CommandResult(true, "", lines);
      }
      if (lines.size() >= maxLines) {
        throw new MgmtProtocolException(
            "reply block longer than " + maxLines + " lines (expected END)");
      }
      lines.add(line);
      return null;
    }
  }
}
