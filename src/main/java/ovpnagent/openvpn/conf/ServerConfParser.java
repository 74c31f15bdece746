package ovpnagent.openvpn.conf;

import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an OpenVPN server config the way OpenVPN's {@code read_config_file()} does and interprets
 * the directives the agent needs into a {@link ServerConf}.
 *
 * <p>Rules (OpenVPN 2.6, {@code options_parse.c}): one option per line, tokens as in {@link
 * LineTokenizer}; a leading {@code --} on the option name is dropped; a line of {@value
 * #MAX_LINE_CHARS} or more characters (newline included) is an error; a UTF-8 BOM at the start of a
 * file is skipped; a line holding only {@code <tag>} opens an inline block that ends at the first
 * line starting (after whitespace) with {@code </tag>}, whose content is skipped; {@code config
 * FILE} includes a file (at most {@value #MAX_INCLUDE_LEVELS} files deep, the top file counting as
 * one); {@code cd DIR} changes the directory relative paths resolve against. Includes resolve
 * against the directory current at the time they are read; every other relative path (management
 * socket, password file, {@code client-config-dir}, scripts) is used by OpenVPN after parsing and
 * so resolves against the directory current at the end of parsing.
 */
public final class ServerConfParser {
  /** OpenVPN's {@code OPTION_LINE_SIZE}: a line this long (newline included) is refused. */
  public static final int MAX_LINE_CHARS = 256;

  /** OpenVPN's include depth limit; the top file is level 1. */
  public static final int MAX_INCLUDE_LEVELS = 10;

  /** Options OpenVPN accepts as inline blocks ({@code openvpn.md} §6). */
  public static final Set<String> INLINE_TAGS =
      Set.of(
          "ca",
          "cert",
          "key",
          "dh",
          "extra-certs",
          "pkcs12",
          "crl-verify",
          "tls-auth",
          "tls-crypt",
          "tls-crypt-v2",
          "peer-fingerprint",
          "verify-hash",
          "auth-user-pass",
          "http-proxy-user-pass",
          "auth-gen-token-secret",
          "connection",
          "secret");

  private final ConfFiles files;

  /** A parser reading the real file system. */
  public ServerConfParser() {
    this(ConfFiles.filesystem());
  }

  /** A parser reading through {@code files}. */
  public ServerConfParser(ConfFiles files) {
    this.files = files;
  }

  /**
   * Parses {@code file} with its own directory as the starting directory (as the systemd unit
   * {@code openvpn-server@} does with {@code --cd /etc/openvpn/server --config NAME.conf}).
   */
  public ServerConf parse(Path file) throws ConfParseException {
    Path abs = file.toAbsolutePath().normalize();
    Path dir = abs.getParent() == null ? abs.getRoot() : abs.getParent();
    return parse(abs, dir);
  }

  /** Parses {@code file} with {@code cwd} as the directory relative paths start from. */
  public ServerConf parse(Path file, Path cwd) throws ConfParseException {
    Path startDir = cwd.toAbsolutePath().normalize();
    Path top = startDir.resolve(file).normalize();
    State st = new State(startDir);
    readFile(top, 1, st, top, 0);
    return OptionInterpreter.interpret(top, st.options, st.cwd);
  }

  /**
   * Reads the raw options of {@code file} and its includes, in order (for callers that need
   * directives {@link ServerConf} does not model; {@link ServerConf#options()} holds the same).
   */
  public List<ConfOption> options(Path file) throws ConfParseException {
    Path abs = file.toAbsolutePath().normalize();
    State st = new State(abs.getParent() == null ? abs.getRoot() : abs.getParent());
    readFile(abs, 1, st, abs, 0);
    return List.copyOf(st.options);
  }

  private static final class State {
    final List<ConfOption> options = new ArrayList<>();
    Path cwd;

    State(Path cwd) {
      this.cwd = cwd;
    }
  }

  private void readFile(Path file, int level, State st, Path fromFile, int fromLine)
      throws ConfParseException {
    if (level > MAX_INCLUDE_LEVELS) {
      throw new ConfParseException(
          fromFile,
          fromLine,
          "maximum include depth ("
              + MAX_INCLUDE_LEVELS
              + " files) exceeded including "
              + file
              + " (does a config include itself?)");
    }
    byte[] bytes;
    try {
      bytes = files.read(file);
    } catch (IOException e) {
      String what =
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      if (level == 1) {
        throw new ConfParseException(file, 0, "cannot read config file: " + what, e);
      }
      throw new ConfParseException(
          fromFile, fromLine, "cannot read included config file " + file + ": " + what, e);
    }
    List<byte[]> lines = splitLines(bytes);
    int i = 0;
    while (i < lines.size()) {
      byte[] raw = lines.get(i);
      int lineNo = i + 1;
      i++;
      boolean lastWithoutNewline = i == lines.size() && !endsWithNewline(bytes);
      int withNewline = raw.length + (lastWithoutNewline ? 0 : 1);
      if (withNewline >= MAX_LINE_CHARS) {
        throw new ConfParseException(
            file,
            lineNo,
            "line too long ("
                + withNewline
                + " characters with the newline; OpenVPN allows at most "
                + (MAX_LINE_CHARS - 1)
                + ")");
      }
      int offset = 0;
      if (lineNo == 1
          && raw.length >= 3
          && (raw[0] & 0xff) == 0xef
          && (raw[1] & 0xff) == 0xbb
          && (raw[2] & 0xff) == 0xbf) {
        offset = 3;
      }
      String text = decode(raw, offset);
      List<String> tokens = LineTokenizer.tokenize(text, file, lineNo);
      if (tokens.isEmpty()) {
        continue;
      }
      String name = tokens.get(0);
      if (name.length() >= 3 && name.startsWith("--")) {
        name = name.substring(2);
      }
      if (tokens.size() == 1
          && name.length() >= 2
          && name.charAt(0) == '<'
          && name.charAt(name.length() - 1) == '>') {
        String tag = name.substring(1, name.length() - 1);
        if (!INLINE_TAGS.contains(tag)) {
          throw new ConfParseException(file, lineNo, "<" + tag + "> is not an inline option");
        }
        String close = "</" + tag + ">";
        boolean found = false;
        while (i < lines.size()) {
          String content = decode(lines.get(i), 0);
          i++;
          if (content.stripLeading().startsWith(close)) {
            found = true;
            break;
          }
        }
        if (!found) {
          throw new ConfParseException(
              file, lineNo, "inline block <" + tag + "> has no end tag " + close);
        }
        st.options.add(new ConfOption(tag, List.of(), file, lineNo, true));
        continue;
      }
      List<String> args = tokens.subList(1, tokens.size());
      ConfOption opt = new ConfOption(name, args, file, lineNo, false);
      switch (name) {
        case "config" -> {
          String target = requireArg(opt);
          if (opt.args().size() > 1) {
            throw new ConfParseException(file, lineNo, "config takes one file name");
          }
          if (target.equals("stdin")) {
            throw new ConfParseException(file, lineNo, "config stdin is not supported");
          }
          readFile(st.cwd.resolve(target).normalize(), level + 1, st, file, lineNo);
        }
        case "cd" -> {
          st.cwd = st.cwd.resolve(requireArg(opt)).normalize();
          st.options.add(opt);
        }
        default -> st.options.add(opt);
      }
    }
  }

  private static String requireArg(ConfOption opt) throws ConfParseException {
    if (opt.args().isEmpty() || opt.arg(0).isEmpty()) {
      throw new ConfParseException(opt.file(), opt.line(), opt.name() + " needs an argument");
    }
    return opt.arg(0);
  }

  private static boolean endsWithNewline(byte[] bytes) {
    return bytes.length > 0 && bytes[bytes.length - 1] == '\n';
  }

  /** Splits on LF; a final line without LF counts, a trailing LF does not start another line. */
  private static List<byte[]> splitLines(byte[] bytes) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int j = 0; j < bytes.length; j++) {
      if (bytes[j] == '\n') {
        lines.add(java.util.Arrays.copyOfRange(bytes, start, j));
        start = j + 1;
      }
    }
    if (start < bytes.length) {
      lines.add(java.util.Arrays.copyOfRange(bytes, start, bytes.length));
    }
    return lines;
  }

  private static String decode(byte[] raw, int offset) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(java.nio.ByteBuffer.wrap(raw, offset, raw.length - offset))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new AssertionError(e);
    }
  }
}
