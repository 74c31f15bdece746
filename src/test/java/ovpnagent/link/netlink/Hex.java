package ovpnagent.link.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Hex helpers for byte-for-byte tests and hex fixtures. */
final class Hex {
  private Hex() {}

  /** Bytes from hex with any whitespace. */
  static byte[] of(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  /** Hex of bytes. */
  static String of(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /**
   * Reads a fixture: lines starting with "# recv" open a new block, other '#' lines are comments,
   * the rest is hex.
   */
  static List<byte[]> blocks(String resource) {
    try (InputStream in = Hex.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + resource);
      }
      List<byte[]> out = new ArrayList<>();
      StringBuilder cur = null;
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.startsWith("# recv")) {
          if (cur != null) {
            out.add(of(cur.toString()));
          }
          cur = new StringBuilder();
        } else if (!line.startsWith("#") && cur != null) {
          cur.append(line.trim());
        }
      }
      if (cur != null) {
        out.add(of(cur.toString()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
