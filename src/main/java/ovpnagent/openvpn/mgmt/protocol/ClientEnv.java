package ovpnagent.openvpn.mgmt.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code >CLIENT:ENV,name=value} lines of one block (openvpn.md §2.5), in arrival order. At
 * most {@link #MAX_ENTRIES} names are kept; further lines are counted in {@link #dropped()}. Values
 * of names containing {@code password} are masked in {@link #toString()}.
 */
public final class ClientEnv {
  /** Cap on the ENV lines accepted per block. */
  public static final int MAX_ENTRIES = 256;

  private static final ClientEnv EMPTY = new ClientEnv(Map.of(), 0);
  private final Map<String, String> values;
  private final int dropped;

  private ClientEnv(Map<String, String> values, int dropped) {
    this.values = values;
    this.dropped = dropped;
  }

  /** An env with no entries (DISCONNECT of a CID the server never authorized). */
  public static ClientEnv empty() {
    return EMPTY;
  }

  /** An env from a map, copied in iteration order (capped at {@link #MAX_ENTRIES}). */
  public static ClientEnv of(Map<String, String> values) {
    Builder b = new Builder();
    values.forEach(b::put);
    return b.build();
  }

  /** The value of {@code name}, or null. */
  public String get(String name) {
    return values.get(name);
  }

  /** The value of {@code name}, or {@code fallback} if absent. */
  public String getOrDefault(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** {@code common_name}, or null. */
  public String commonName() {
    return values.get("common_name");
  }

  /** {@code trusted_ip} if present (after ESTABLISHED), else {@code untrusted_ip}, else null. */
  public String realAddress() {
    String t = values.get("trusted_ip");
    return t != null && !t.isEmpty() ? t : values.get("untrusted_ip");
  }

  /** All entries, read-only, in arrival order. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(values);
  }

  /** Number of entries. */
  public int size() {
    return values.size();
  }

  /** ENV lines refused because the block exceeded {@link #MAX_ENTRIES}. */
  public int dropped() {
    return dropped;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientEnv e && e.values.equals(values) && e.dropped == dropped;
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    values.forEach(
        (k, v) -> {
          if (sb.length() > 1) {
            sb.append(", ");
          }
          sb.append(k).append('=').append(isSecret(k) ? "***" : v);
        });
    return sb.append('}').toString();
  }

  private static boolean isSecret(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).contains("password");
  }

  /** Accumulates one block's ENV lines. */
  public static final class Builder {
    private Map<String, String> values = new LinkedHashMap<>();
    private int dropped;
    private boolean handedOver;

    /** Adds one entry; returns false (and counts it) when the cap is reached. */
    public boolean put(String name, String value) {
      if (handedOver) {
        values = new LinkedHashMap<>(values); // a built env never changes
        handedOver = false;
      }
      if (values.size() >= MAX_ENTRIES && !values.containsKey(name)) {
        dropped++;
        return false;
      }
      values.put(name, value);
      return true;
    }

    /** The finished env. */
    public ClientEnv build() {
      // the map is handed over, not copied (one block, one build); a later put copies it first
      handedOver = true;
      return new ClientEnv(values, dropped);
    }
  }
}
