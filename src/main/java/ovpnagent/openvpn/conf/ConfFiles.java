package ovpnagent.openvpn.conf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The parser's only way to read a file: the real file system, or in-memory files in tests. */
@FunctionalInterface
public interface ConfFiles {
  /** Largest config file the default reader accepts. */
  long MAX_FILE_BYTES = 1 << 20;

  /**
   * Returns the bytes of an absolute, normalized path.
   *
   * @throws IOException if the file cannot be read
   */
  byte[] read(Path path) throws IOException;

  /** Reads the real file system (files larger than {@link #MAX_FILE_BYTES} are refused). */
  static ConfFiles filesystem() {
    return path -> {
      long size = Files.size(path);
      if (size > MAX_FILE_BYTES) {
        throw new IOException("file is " + size + " bytes (at most " + MAX_FILE_BYTES + ")");
      }
      return Files.readAllBytes(path);
    };
  }

  /** In-memory files: absolute path to UTF-8 text; any other path does not exist. */
  static ConfFiles inMemory(Map<Path, String> files) {
    Map<Path, String> copy = new HashMap<>();
    files.forEach((k, v) -> copy.put(k.toAbsolutePath().normalize(), v));
    return path -> {
      String text = copy.get(path);
      if (text == null) {
        throw new NoSuchFileException(path.toString());
      }
      return text.getBytes(StandardCharsets.UTF_8);
    };
  }
}
