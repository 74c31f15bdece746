package ovpnagent.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The label convention for metric names: {@code base{key=value,key2=value2}}, for example {@code
 * dhcp4.pool.used{subnet=198.18.0.0/24}}. The base is dotted and stable (Kea-like); the braces
 * carry Prometheus labels. {@link Metrics} stores the whole text as the name, so always build such
 * names with {@link #of} (same key order every time); {@link PrometheusRenderer} turns the base
 * into {@code ovpn_agent_dhcp4_pool_used} and the parts into labels. A name without braces, or with
 * unbalanced ones, has no labels.
 *
 * @param base dotted base name
 * @param labels label keys to values, in the order written
 */
public record MetricName(String base, Map<String, String> labels) {
  public MetricName {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  /**
   * A name with labels given as key, value pairs; {@code ,} and <code>}</code> in values (which the
   * convention cannot carry) become {@code _}.
   *
   * @throws IllegalArgumentException on an odd number of key/value strings or a bad key
   */
  public static MetricName of(String base, String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("labels must be key, value pairs");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      String k = keyValues[i];
      if (k == null || !k.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IllegalArgumentException("bad label key '" + k + "'");
      }
      String v = keyValues[i + 1] == null ? "" : keyValues[i + 1];
      m.put(k, v.replace(',', '_').replace('}', '_'));
    }
    return new MetricName(base, m);
  }

  /** Splits a stored name into base and labels; never throws. */
  public static MetricName parse(String name) {
    int open = name.indexOf('{');
    if (open < 0 || !name.endsWith("}")) {
      return new MetricName(name, Map.of());
    }
    Map<String, String> m = new LinkedHashMap<>();
    String inner = name.substring(open + 1, name.length() - 1);
    if (!inner.isEmpty()) {
      for (String part : inner.split(",", -1)) {
        int eq = part.indexOf('=');
        if (eq <= 0) {
          return new MetricName(name, Map.of());
        }
        m.put(part.substring(0, eq).trim(), part.substring(eq + 1));
      }
    }
    return new MetricName(name.substring(0, open), m);
  }

  /** The stored form, {@code base{k=v,...}} or just {@code base}. */
  @Override
  public String toString() {
    if (labels.isEmpty()) {
      return base;
    }
    StringBuilder b = new StringBuilder(base).append('{');
    String sep = "";
    for (Map.Entry<String, String> e : labels.entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = ",";
    }
    return b.append('}').toString();
  }
}
