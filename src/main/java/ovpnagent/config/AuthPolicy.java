package ovpnagent.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Client authorization by common name. Patterns are globs ({@code *} any run, {@code ?} one
 * character). A name matching {@code deny} is refused; otherwise, if {@code allow} is non-empty,
 * the name must match one of its patterns.
 *
 * @param denyReason the reason sent to a refused client
 */
public record AuthPolicy(List<String> allow, List<String> deny, String denyReason) {
  /** Compiled globs, built once per policy (a policy is checked on every CONNECT). */
  private static final java.util.Map<String, Pattern> COMPILED =
      new java.util.concurrent.ConcurrentHashMap<>();

  public AuthPolicy {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    allow.forEach(AuthPolicy::glob);
    deny.forEach(AuthPolicy::glob);
  }

  /** Allows everyone. */
  public static AuthPolicy allowAll() {
    return new AuthPolicy(List.of(), List.of(), "not authorized");
  }

  /** True if the common name may connect. */
  public boolean permits(String commonName) {
    if (commonName == null || commonName.isEmpty()) {
      return false;
    }
    for (String d : deny) {
      if (glob(d).matcher(commonName).matches()) {
        return false;
      }
    }
    if (allow.isEmpty()) {
      return true;
    }
    for (String a : allow) {
      if (glob(a).matcher(commonName).matches()) {
        return true;
      }
    }
    return false;
  }

  static Pattern glob(String glob) {
    return COMPILED.computeIfAbsent(glob, AuthPolicy::compile);
  }

  private static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
