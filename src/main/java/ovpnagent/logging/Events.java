package ovpnagent.logging;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Formats log events as one line of {@code event=name key=value ...} that survives {@code grep} and
 * cannot be forged: a value with a space, {@code "}, {@code =}, a backslash or any control or
 * invisible Unicode character is quoted and escaped ({@code \"}, {@code \\}, {@code \n}, {@code
 * \r}, {@code \t}, {@code \\uXXXX}), so a client-supplied hostname cannot start a fake log line;
 * values longer than {@value #MAX_VALUE} characters are cut; the value of any key naming a secret
 * ({@code password}, {@code passwd}, {@code secret}, {@code token}) is written as {@code ***}.
 *
 * <pre>
 * LOG.info(Events.event("lease_granted").kv("mac", mac).kv("ip", ip).kv("hostname", host).toString());
 * LOG.info("event=lease_granted mac={} hostname={}", mac, Events.value(host));
 * </pre>
 */
public final class Events {
  /** Longest value written before it is cut (with a trailing {@code ...}). */
  public static final int MAX_VALUE = 256;

  /** What a secret value is written as. */
  public static final String MASK = "***";

  private static final Pattern SECRET_IN_TEXT =
      Pattern.compile("(?i)(password|passwd|secret|token)(=|\\s*:\\s*)");

  private Events() {}

  /** Starts an event line {@code event=name}. */
  public static Line event(String name) {
    return new Line(name);
  }

  /** True if a key names a secret whose value must never be logged. */
  public static boolean isSecretKey(String key) {
    String k = key == null ? "" : key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("passwd")
        || k.contains("secret")
        || k.contains("token");
  }

  /**
   * {@code key=value} with the value formatted by {@link #value} or masked if the key is secret.
   */
  public static String kv(String key, Object value) {
    return key(key) + "=" + (isSecretKey(key) ? MASK : value(value));
  }

  /**
   * One value, safe for a key=value log line: {@code -} for null, {@code ""} for empty, bare when
   * it is plain text, else quoted and escaped.
   */
  public static String value(Object value) {
    if (value == null) {
      return "-";
    }
    String s = String.valueOf(value);
    if (s.isEmpty()) {
      return "\"\"";
    }
    boolean cut = false;
    if (s.length() > MAX_VALUE) {
      s = s.substring(0, MAX_VALUE);
      if (Character.isHighSurrogate(s.charAt(s.length() - 1))) {
        s = s.substring(0, s.length() - 1);
      }
      cut = true;
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    boolean quote = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          quote = true;
          break;
        case '\\':
          b.append("\\\\");
          quote = true;
          break;
        case '\n':
          b.append("\\n");
          quote = true;
          break;
        case '\r':
          b.append("\\r");
          quote = true;
          break;
        case '\t':
          b.append("\\t");
          quote = true;
          break;
        case ' ':
        case '=':
          b.append(c);
          quote = true;
          break;
        default:
          if (invisible(s, i)) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            quote = true;
          } else {
            b.append(c);
          }
      }
    }
    if (cut) {
      b.append("...");
    }
    return quote ? "\"" + b + "\"" : b.toString();
  }

  /**
   * Masks the value after {@code password=}, {@code token:} and the like in free text (for example
   * a management line such as {@code >CLIENT:ENV,password=...}) up to the end of the text.
   */
  public static String maskSecrets(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = SECRET_IN_TEXT.matcher(text);
    if (!m.find()) {
      return text;
    }
    return text.substring(0, m.end()) + MASK;
  }

  private static String key(String key) {
    if (key == null || key.isEmpty()) {
      return "_";
    }
    StringBuilder b = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-';
      b.append(ok ? c : '_');
    }
    return b.toString();
  }

  private static boolean invisible(String s, int i) {
    char c = s.charAt(i);
    if (c < 0x20 || c == 0x7f) {
      return true;
    }
    if (c < 0x80) {
      return false;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    int t = Character.getType(c);
    return t == Character.CONTROL
        || t == Character.FORMAT
        || t == Character.LINE_SEPARATOR
        || t == Character.PARAGRAPH_SEPARATOR
        || t == Character.PRIVATE_USE
        || t == Character.UNASSIGNED
        || t == Character.SPACE_SEPARATOR;
  }

  /** An event line under construction; {@link #toString()} gives the text. */
  public static final class Line {
    private final StringBuilder b = new StringBuilder();

    private Line(String name) {
      b.append("event=").append(key(name));
    }

    /** Appends {@code key=value}, formatted and masked as {@link Events#kv} does. */
    public Line kv(String key, Object value) {
      b.append(' ').append(Events.kv(key, value));
      return this;
    }

    @Override
    public String toString() {
      return b.toString();
    }
  }
}
