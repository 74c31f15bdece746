package ovpnagent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict parser of the Prometheus text format 0.0.4, for checking the renderer's output. */
final class PromText {
  record Sample(String name, Map<String, String> labels, double value) {}

  record Family(String name, String type, String help, List<Sample> samples) {}

  private PromText() {}

  static Map<String, Family> parse(String text) {
    assertTrue(text.isEmpty() || text.endsWith("\n"), "ends with a newline");
    Map<String, Family> fams = new LinkedHashMap<>();
    String help = null;
    String helpFor = null;
    Family current = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        String rest = line.substring(7);
        helpFor = rest.substring(0, rest.indexOf(' '));
        help = rest.substring(rest.indexOf(' ') + 1);
        assertFalse(fams.containsKey(helpFor), "one HELP per family: " + helpFor);
      } else if (line.startsWith("# TYPE ")) {
        String[] p = line.substring(7).split(" ");
        assertEquals(2, p.length, line);
        assertEquals(helpFor, p[0], "HELP then TYPE for the same family");
        assertTrue(List.of("counter", "gauge", "histogram").contains(p[1]), line);
        current = new Family(p[0], p[1], help, new ArrayList<>());
        fams.put(p[0], current);
      } else if (line.startsWith("#") || line.isEmpty()) {
        fail("unexpected line: " + line);
      } else {
        Sample s = sample(line);
        assertTrue(current != null, "sample before TYPE: " + line);
        String base = current.name();
        boolean ok =
            s.name().equals(base)
                || (current.type().equals("histogram")
                    && (s.name().equals(base + "_bucket")
                        || s.name().equals(base + "_sum")
                        || s.name().equals(base + "_count")));
        assertTrue(ok, "sample " + s.name() + " outside its family " + base);
        current.samples().add(s);
      }
    }
    return fams;
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    assertTrue(name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"), "metric name: " + name);
    Map<String, String> labels = new LinkedHashMap<>();
    if (line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq);
        assertTrue(key.matches("[a-zA-Z_][a-zA-Z0-9_]*"), "label name: " + key);
        assertEquals('"', line.charAt(eq + 1));
        StringBuilder v = new StringBuilder();
        int j = eq + 2;
        while (line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            v.append(n == 'n' ? '\n' : n);
          } else {
            v.append(c);
          }
          j++;
        }
        labels.put(key, v.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    assertEquals(' ', line.charAt(i), line);
    String value = line.substring(i + 1);
    double d = value.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value);
    return new Sample(name, labels, d);
  }
}
