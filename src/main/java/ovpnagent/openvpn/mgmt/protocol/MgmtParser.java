package ovpnagent.openvpn.mgmt.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns notification lines ({@code >SOURCE:text}, openvpn.md §2.4-§2.5) into {@link MgmtEvent}s.
 * Stateful only for {@code >CLIENT:} blocks, which end at {@code >CLIENT:ENV,END}; one parser per
 * connection. A malformed line throws {@link MgmtProtocolException} and leaves the parser usable.
 */
public final class MgmtParser {
  /** Longest line (in characters, without CR/LF) the parser accepts. */
  public static final int MAX_LINE_CHARS = 8192;

  /** The prompt OpenVPN sends without a line ending when a password file is configured. */
  public static final String PASSWORD_PROMPT = "ENTER PASSWORD:";

  private enum BlockKind {
    CONNECT,
    REAUTH,
    ESTABLISHED,
    DISCONNECT,
    CR_RESPONSE
  }

  private BlockKind blockKind;
  private long blockCid;
  private long blockKid;
  private String blockExtra;
  private ClientEnv.Builder blockEnv;

  /** True if the line is a notification ({@code >} first). */
  public static boolean isNotification(String line) {
    return !line.isEmpty() && line.charAt(0) == '>';
  }

  /** True while a {@code >CLIENT:} block is open (its ENV,END not yet seen). */
  public boolean inClientBlock() {
    return blockKind != null;
  }

  /** Forgets a half-received block (connection lost mid-block). */
  public void reset() {
    blockKind = null;
    blockEnv = null;
  }

  /**
   * Accepts one notification line; returns the event when complete, empty while a {@code >CLIENT:}
   * block is still open.
   *
   * @throws MgmtProtocolException if the line is not a well-formed notification; a block open
   *     before an unexpected block start is dropped
   */
  public Optional<MgmtEvent> accept(String line) {
    if (line.length() > MAX_LINE_CHARS) {
      throw new MgmtProtocolException(
          "line of " + line.length() + " chars (expected at most " + MAX_LINE_CHARS + ")");
    }
    if (!isNotification(line)) {
      throw new MgmtProtocolException("'" + abbrev(line) + "' (expected '>SOURCE:text')");
    }
    if (line.startsWith(ENV_PREFIX)) {
      return envLine(line);
    }
    int colon = line.indexOf(':');
    if (colon < 2) {
      throw new MgmtProtocolException("'" + abbrev(line) + "' (expected '>SOURCE:text')");
    }
    String source = line.substring(1, colon);
    String text = line.substring(colon + 1);
    switch (source) {
      case "CLIENT":
        return client(text);
      case "HOLD":
        return Optional.of(new MgmtEvent.Hold(text));
      case "INFO":
        return Optional.of(new MgmtEvent.Info(text));
      case "STATE":
        return Optional.of(state(text));
      case "LOG":
        return Optional.of(log(text));
      case "FATAL":
        return Optional.of(new MgmtEvent.Fatal(text));
      case "PASSWORD":
        return Optional.of(new MgmtEvent.PasswordPrompt(text));
      default:
        if (!source
            .chars()
            .allMatch(
                c -> (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || (c >= '0' && c <= '9'))) {
          throw new MgmtProtocolException(
              "source '" + abbrev(source) + "' (expected upper-case letters, digits, '_', '-')");
        }
        return Optional.of(new MgmtEvent.Other(source, text));
    }
  }

  private Optional<MgmtEvent> client(String text) {
    if (text.startsWith("ENV,")) {
      return env(text);
    }
    String[] f = text.split(",", -1);
    String kind = f[0];
    if (kind.equals("ENV")) {
      return env(text);
    }
    return clientStart(text, f, kind);
  }

  private static final String ENV_PREFIX = ">CLIENT:ENV,";

  /**
   * The common case of a whole {@code >CLIENT:ENV,...} line, by offsets into it (two substrings per
   * line instead of five); same checks and messages as {@link #env}.
   */
  private Optional<MgmtEvent> envLine(String line) {
    if (blockKind == null || line.length() == ENV_PREFIX.length() + 3 && line.endsWith("END")) {
      return env(line.substring(ENV_PREFIX.length() - 4));
    }
    int eq = line.indexOf('=', ENV_PREFIX.length());
    if (eq <= ENV_PREFIX.length()) {
      return env(line.substring(ENV_PREFIX.length() - 4));
    }
    blockEnv.put(line.substring(ENV_PREFIX.length(), eq), line.substring(eq + 1));
    return Optional.empty();
  }

  /** One {@code ENV,name=value} or {@code ENV,END} line of an open block (no split per line). */
  private Optional<MgmtEvent> env(String text) {
    if (blockKind == null) {
      throw new MgmtProtocolException("'>CLIENT:" + abbrev(text) + "' outside a >CLIENT: block");
    }
    String rest = text.substring(4);
    if (rest.equals("END")) {
      MgmtEvent e = finishBlock();
      return Optional.of(e);
    }
    int eq = rest.indexOf('=');
    if (eq <= 0) {
      throw new MgmtProtocolException("ENV line '" + abbrev(rest) + "' (expected name=value)");
    }
    blockEnv.put(rest.substring(0, eq), rest.substring(eq + 1));
    return Optional.empty();
  }

  private Optional<MgmtEvent> clientStart(String text, String[] f, String kind) {
    if (kind.equals("ADDRESS")) {
      need(f, 4, text);
      return Optional.of(new MgmtEvent.ClientAddress(id(f[1], "CID"), f[2], "1".equals(f[3])));
    }
    BlockKind k;
    switch (kind) {
      case "CONNECT" -> k = BlockKind.CONNECT;
      case "REAUTH" -> k = BlockKind.REAUTH;
      case "ESTABLISHED" -> k = BlockKind.ESTABLISHED;
      case "DISCONNECT" -> k = BlockKind.DISCONNECT;
      case "CR_RESPONSE" -> k = BlockKind.CR_RESPONSE;
      default -> {
        return Optional.of(new MgmtEvent.Other("CLIENT", text));
      }
    }
    boolean hadOpen = blockKind != null;
    BlockKind previous = blockKind;
    reset();
    int fields =
        switch (k) {
          case CONNECT, REAUTH -> 3;
          case ESTABLISHED, DISCONNECT -> 2;
          case CR_RESPONSE -> 4;
        };
    need(f, fields, text);
    long cid = id(f[1], "CID");
    long kid = fields >= 3 ? id(f[2], "KID") : 0;
    blockKind = k;
    blockCid = cid;
    blockKid = kid;
    blockExtra = k == BlockKind.CR_RESPONSE ? f[3] : null;
    blockEnv = new ClientEnv.Builder();
    if (hadOpen) {
      throw new MgmtProtocolException(
          ">CLIENT:" + kind + " while a " + previous + " block was open (expected >CLIENT:ENV)");
    }
    return Optional.empty();
  }

  private MgmtEvent finishBlock() {
    ClientEnv env = blockEnv.build();
    BlockKind k = blockKind;
    reset();
    return switch (k) {
      case CONNECT -> new MgmtEvent.ClientConnect(blockCid, blockKid, env);
      case REAUTH -> new MgmtEvent.ClientReauth(blockCid, blockKid, env);
      case ESTABLISHED -> new MgmtEvent.ClientEstablished(blockCid, env);
      case DISCONNECT -> new MgmtEvent.ClientDisconnect(blockCid, env);
      case CR_RESPONSE -> new MgmtEvent.ClientCrResponse(blockCid, blockKid, blockExtra, env);
    };
  }

  private static MgmtEvent state(String text) {
    String[] f = text.split(",", -1);
    need(f, 2, text);
    List<String> rest = new ArrayList<>();
    for (int i = 3; i < f.length; i++) {
      rest.add(f[i]);
    }
    return new MgmtEvent.State(time(f[0]), f[1], f.length > 2 ? f[2] : "", rest);
  }

  private static MgmtEvent log(String text) {
    String[] f = text.split(",", 3);
    need(f, 3, text);
    return new MgmtEvent.Log(time(f[0]), f[1], f[2]);
  }

  private static void need(String[] f, int n, String text) {
    if (f.length < n) {
      throw new MgmtProtocolException(
          "'" + abbrev(text) + "' has " + f.length + " fields (expected " + n + ")");
    }
  }

  /** Same test as {@code s.chars().allMatch(Character::isDigit)} without a stream per id. */
  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Parses an unsigned 32-bit decimal id (CID, KID). */
  static long id(String s, String what) {
    if (s.isEmpty() || s.length() > 10 || !allDigits(s)) {
      throw new MgmtProtocolException(what + " '" + abbrev(s) + "' (expected unsigned decimal)");
    }
    long v = Long.parseLong(s);
    if (v > 0xffffffffL) {
      throw new MgmtProtocolException(what + " " + v + " (expected at most 4294967295)");
    }
    return v;
  }

  private static long time(String s) {
    if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(Character::isDigit)) {
      throw new MgmtProtocolException("time '" + abbrev(s) + "' (expected unix seconds)");
    }
    return Long.parseLong(s);
  }

  static String abbrev(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
