package ovpnagent.openvpn.conf;

import java.nio.file.Path;
import java.util.List;

/**
 * One option as OpenVPN read it: name (without a leading {@code --}), arguments, and where it was.
 * An inline block ({@code <ca>...</ca>}) is recorded with {@code inline} set and no arguments: its
 * content is skipped and never kept.
 *
 * @param name the option name
 * @param args the arguments after the name, unquoted
 * @param file the file the option is in
 * @param line the 1-based line number of the option (of the opening tag for an inline block)
 * @param inline true for an inline block
 */
public record ConfOption(String name, List<String> args, Path file, int line, boolean inline) {
  public ConfOption {
    args = List.copyOf(args);
  }

  /** Argument {@code i} (0-based, after the name), or null if absent. */
  public String arg(int i) {
    return i < args.size() ? args.get(i) : null;
  }

  /** Where the option is, as {@code FILE:LINE}. */
  public String where() {
    return file + ":" + line;
  }
}
