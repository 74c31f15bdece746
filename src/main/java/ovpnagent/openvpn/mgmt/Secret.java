package ovpnagent.openvpn.mgmt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The management password; {@link #toString()} never reveals it. */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** Wraps a password value. */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /**
   * Reads the first line of an OpenVPN management password file (openvpn.md §2.1).
   *
   * @throws UncheckedIOException if the file cannot be read or is empty
   */
  public static Secret readFirstLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || lines.get(0).isEmpty()) {
        throw new IOException("empty management password file " + file);
      }
      String first = lines.get(0);
      if (first.endsWith("\r")) {
        first = first.substring(0, first.length() - 1);
      }
      return new Secret(first);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read management password file " + file, e);
    }
  }

  /** The clear-text value, for the one write to the socket. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "***";
  }
}
