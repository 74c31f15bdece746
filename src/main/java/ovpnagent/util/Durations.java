package ovpnagent.util;

import java.time.Duration;

/**
 * Durations written as operators write them: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h},
 * {@code 2d}.
 */
public final class Durations {
  private Durations() {}

  /**
   * Parses a duration with a unit suffix (ms, s, m, h, d).
   *
   * @throws IllegalArgumentException naming the bad text
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("missing duration");
    }
    String t = text.trim();
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 12) {
      throw new IllegalArgumentException(
          "not a duration (expected e.g. 30s, 10m, 1h): '" + text + "'");
    }
    long n = Long.parseLong(t.substring(0, i));
    String unit = t.substring(i);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default ->
          throw new IllegalArgumentException(
              "not a duration (unit must be ms, s, m, h or d): '" + text + "'");
    };
  }

  /**
   * Formats a duration in the largest whole unit ({@code 90s} → {@code 90s}, {@code 3600s} → {@code
   * 1h}).
   */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms != 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0 && ms != 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0 && ms != 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
