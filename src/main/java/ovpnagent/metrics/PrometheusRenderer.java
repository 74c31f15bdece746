package ovpnagent.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@link Metrics} in the Prometheus text exposition format 0.0.4: a dotted name becomes
 * {@code ovpn_agent_} + the name with every character outside {@code [a-zA-Z0-9_]} replaced by
 * {@code _} ({@code dhcp4.drop.malformed} → {@code ovpn_agent_dhcp4_drop_malformed}); counters get
 * the suffix {@code _total}; labels come from the {@link MetricName} convention; histograms become
 * {@code _bucket{le=...}}, {@code _sum} and {@code _count} series (in ms). Each family gets one
 * {@code # HELP} and one {@code # TYPE} line. Pure: no I/O.
 */
public final class PrometheusRenderer {
  /** The prefix of every exported name. */
  public static final String PREFIX = "ovpn_agent_";

  /** The HTTP content type of the output. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Map<String, String> help;

  /** A renderer with a generic help text for every family. */
  public PrometheusRenderer() {
    this(Map.of());
  }

  /** A renderer with help texts keyed by dotted base name (e.g. {@code dhcp4.drop.malformed}). */
  public PrometheusRenderer(Map<String, String> help) {
    this.help = Map.copyOf(help);
  }

  /** Renders the current values of every counter, gauge and histogram. */
  public String render(Metrics metrics) {
    Map<String, Long> counters = new TreeMap<>();
    Map<String, Long> gauges = new TreeMap<>();
    metrics.snapshot().forEach((k, v) -> (metrics.isCounter(k) ? counters : gauges).put(k, v));
    Map<String, Histogram.Snapshot> hs = new TreeMap<>();
    metrics.histograms().forEach((k, v) -> hs.put(k, v.snapshot()));
    return render(counters, gauges, hs);
  }

  /** Renders given values (names in the {@link MetricName} convention). */
  public String render(
      Map<String, Long> counters, Map<String, Long> gauges, Map<String, Histogram.Snapshot> hists) {
    // family name -> family; TreeMap keeps the output sorted and each family's samples together
    Map<String, Family> families = new TreeMap<>();
    counters.forEach(
        (name, v) -> {
          MetricName mn = MetricName.parse(name);
          String fam = promName(mn.base());
          if (!fam.endsWith("_total")) {
            fam += "_total";
          }
          family(families, fam, "counter", mn.base())
              .samples
              .add(sample(fam, mn.labels(), null, v));
        });
    gauges.forEach(
        (name, v) -> {
          MetricName mn = MetricName.parse(name);
          String fam = promName(mn.base());
          family(families, fam, "gauge", mn.base()).samples.add(sample(fam, mn.labels(), null, v));
        });
    hists.forEach(
        (name, s) -> {
          MetricName mn = MetricName.parse(name);
          String fam = promName(mn.base());
          Family f = family(families, fam, "histogram", mn.base());
          for (int i = 0; i <= s.boundsMs().size(); i++) {
            String le = i < s.boundsMs().size() ? Long.toString(s.boundsMs().get(i)) : "+Inf";
            f.samples.add(sample(fam + "_bucket", mn.labels(), le, s.cumulative(i)));
          }
          f.samples.add(sampleText(fam + "_sum", mn.labels(), null, number(s.sumMs())));
          f.samples.add(sample(fam + "_count", mn.labels(), null, s.count()));
        });
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Family> e : families.entrySet()) {
      Family f = e.getValue();
      String h = help.getOrDefault(f.base, "ovpn-agent metric " + f.base);
      out.append("# HELP ").append(e.getKey()).append(' ').append(escapeHelp(h)).append('\n');
      out.append("# TYPE ").append(e.getKey()).append(' ').append(f.type).append('\n');
      for (String s : f.samples) {
        out.append(s).append('\n');
      }
    }
    return out.toString();
  }

  /** The exported name for a dotted base name, with {@link #PREFIX} and without any suffix. */
  public static String promName(String base) {
    StringBuilder b = new StringBuilder(PREFIX);
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      b.append(ok ? c : '_');
    }
    return b.toString();
  }

  private static Family family(Map<String, Family> fams, String name, String type, String base) {
    return fams.computeIfAbsent(name, n -> new Family(type, base));
  }

  private static String sample(String name, Map<String, String> labels, String le, long v) {
    return sampleText(name, labels, le, Long.toString(v));
  }

  private static String sampleText(
      String name, Map<String, String> labels, String le, String value) {
    StringBuilder b = new StringBuilder(name);
    if (!labels.isEmpty() || le != null) {
      b.append('{');
      String sep = "";
      for (Map.Entry<String, String> e : labels.entrySet()) {
        b.append(sep).append(labelKey(e.getKey())).append("=\"");
        b.append(escapeLabel(e.getValue())).append('"');
        sep = ",";
      }
      if (le != null) {
        b.append(sep).append("le=\"").append(le).append('"');
      }
      b.append('}');
    }
    return b.append(' ').append(value).toString();
  }

  private static String labelKey(String k) {
    String s = k.replaceAll("[^a-zA-Z0-9_]", "_");
    return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
  }

  private static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  /** Escapes a label value: backslash, double quote and newline. */
  static String escapeLabel(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String escapeHelp(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static final class Family {
    final String type;
    final String base;
    final List<String> samples = new ArrayList<>();

    Family(String type, String base) {
      this.type = type;
      this.base = base;
    }
  }
}
