package ovpnagent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders any JSON answer as text, without knowing its shape: an array of objects becomes a table
 * (one column per key, the union of keys in first-seen order, nested objects flattened to {@code
 * a.b} columns, missing cells {@code -}); an object becomes aligned {@code key value} lines (nested
 * objects flattened to {@code a.b}), and each array of objects inside it a titled table. At the top
 * level every object- or array-valued field is its own titled section (how {@code status} shows one
 * section per subsystem). Control and invisible characters in values are escaped, so a
 * client-chosen hostname cannot move the cursor or fake lines on the operator's terminal.
 */
final class TextRenderer {
  private static final String NONE = "(none)";
  private final PrintStream out;

  TextRenderer(PrintStream out) {
    this.out = out;
  }

  /** Renders a whole answer's arguments. */
  void render(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    if (node.isArray()) {
      array(node, "");
      return;
    }
    if (!node.isObject()) {
      out.println(cell(node));
      return;
    }
    // an object holding just one list (e.g. {"leases": [...]}) is shown as that list
    if (node.size() == 1 && node.elements().next().isArray()) {
      array(node.elements().next(), "");
      return;
    }
    Map<String, String> simple = new LinkedHashMap<>();
    Map<String, JsonNode> sections = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (v.isObject() || (v.isArray() && !scalars(v))) {
        sections.put(e.getKey(), v);
      } else {
        simple.put(e.getKey(), cell(v));
      }
    }
    keyValues(simple, "");
    boolean first = simple.isEmpty();
    for (Map.Entry<String, JsonNode> s : sections.entrySet()) {
      if (!first) {
        out.println();
      }
      first = false;
      out.println(clean(s.getKey()));
      section(s.getValue(), "  ");
    }
  }

  private void section(JsonNode v, String indent) {
    if (v.isArray()) {
      array(v, indent);
      return;
    }
    Map<String, String> simple = new LinkedHashMap<>();
    Map<String, JsonNode> lists = new LinkedHashMap<>();
    flatten("", v, simple, lists);
    if (simple.isEmpty() && lists.isEmpty()) {
      out.println(indent + NONE);
    }
    keyValues(simple, indent);
    for (Map.Entry<String, JsonNode> l : lists.entrySet()) {
      out.println(indent + clean(l.getKey()));
      array(l.getValue(), indent + "  ");
    }
  }

  private void array(JsonNode a, String indent) {
    if (a.size() == 0) {
      out.println(indent + NONE);
      return;
    }
    if (!objects(a)) {
      for (JsonNode e : a) {
        out.println(indent + cell(e));
      }
      return;
    }
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    for (JsonNode e : a) {
      Map<String, String> row = new LinkedHashMap<>();
      flattenRow("", e, row);
      for (String k : row.keySet()) {
        if (!columns.contains(k)) {
          columns.add(k);
        }
      }
      rows.add(row);
    }
    table(columns, rows, indent);
  }

  private void table(List<String> columns, List<Map<String, String>> rows, String indent) {
    int[] width = new int[columns.size()];
    boolean[] numeric = new boolean[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      String col = columns.get(c);
      width[c] = header(col).length();
      numeric[c] = true;
      boolean any = false;
      for (Map<String, String> r : rows) {
        String v = r.getOrDefault(col, "-");
        width[c] = Math.max(width[c], v.length());
        if (!v.equals("-")) {
          any = true;
          numeric[c] &= v.matches("-?\\d+(\\.\\d+)?");
        }
      }
      numeric[c] &= any;
    }
    List<String> head = new ArrayList<>();
    for (String col : columns) {
      head.add(header(col));
    }
    out.println(indent + line(head, width, new boolean[columns.size()]));
    for (Map<String, String> r : rows) {
      List<String> cells = new ArrayList<>();
      for (String col : columns) {
        cells.add(r.getOrDefault(col, "-"));
      }
      out.println(indent + line(cells, width, numeric));
    }
  }

  private static String line(List<String> cells, int[] width, boolean[] right) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String v = cells.get(i);
      boolean last = i == cells.size() - 1;
      String pad = " ".repeat(width[i] - v.length());
      if (right[i]) {
        b.append(pad).append(v);
      } else {
        b.append(v);
        if (!last) {
          b.append(pad);
        }
      }
      if (!last) {
        b.append("  ");
      }
    }
    return b.toString();
  }

  private void keyValues(Map<String, String> kv, String indent) {
    int w = 0;
    for (String k : kv.keySet()) {
      w = Math.max(w, clean(k).length());
    }
    for (Map.Entry<String, String> e : kv.entrySet()) {
      String k = clean(e.getKey());
      out.println(indent + k + " ".repeat(w - k.length() + 2) + e.getValue());
    }
  }

  /** Flattens an object into scalar entries ({@code a.b}) and lists of objects (sub-tables). */
  private static void flatten(
      String prefix, JsonNode v, Map<String, String> simple, Map<String, JsonNode> lists) {
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      String k = prefix + e.getKey();
      JsonNode x = e.getValue();
      if (x.isObject() && x.size() > 0) {
        flatten(k + ".", x, simple, lists);
      } else if (x.isArray() && !scalars(x)) {
        lists.put(k, x);
      } else {
        simple.put(k, cell(x));
      }
    }
  }

  /** Flattens one table row: nested objects become {@code a.b} columns. */
  private static void flattenRow(String prefix, JsonNode v, Map<String, String> row) {
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      String k = prefix + e.getKey();
      if (e.getValue().isObject() && e.getValue().size() > 0) {
        flattenRow(k + ".", e.getValue(), row);
      } else {
        row.put(k, cell(e.getValue()));
      }
    }
  }

  private static boolean scalars(JsonNode a) {
    for (JsonNode e : a) {
      if (e.isContainerNode()) {
        return false;
      }
    }
    return true;
  }

  private static boolean objects(JsonNode a) {
    for (JsonNode e : a) {
      if (!e.isObject()) {
        return false;
      }
    }
    return true;
  }

  /** One cell: text as is (escaped), null as {@code -}, lists of scalars joined with commas. */
  static String cell(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "-";
    }
    if (v.isArray() && scalars(v)) {
      if (v.size() == 0) {
        return "-";
      }
      List<String> parts = new ArrayList<>();
      for (JsonNode e : v) {
        parts.add(cell(e));
      }
      return String.join(",", parts);
    }
    if (v.isObject() && v.size() == 0) {
      return "-";
    }
    if (v.isContainerNode()) {
      return clean(v.toString());
    }
    String s = v.asText();
    return s.isEmpty() ? "\"\"" : clean(s);
  }

  private static String header(String key) {
    return clean(key).toUpperCase(Locale.ROOT);
  }

  /** Escapes control and invisible characters (terminal escape sequences, newlines, bidi marks). */
  static String clean(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int t = Character.getType(c);
      boolean bad =
          c < 0x20
              || c == 0x7f
              || t == Character.CONTROL
              || t == Character.FORMAT
              || t == Character.LINE_SEPARATOR
              || t == Character.PARAGRAPH_SEPARATOR
              || t == Character.PRIVATE_USE
              || t == Character.UNASSIGNED
              || (t == Character.SURROGATE && !pairedSurrogate(s, i));
      if (bad) {
        if (b == null) {
          b = new StringBuilder(s.substring(0, i));
        }
        switch (c) {
          case '\n':
            b.append("\\n");
            break;
          case '\r':
            b.append("\\r");
            break;
          case '\t':
            b.append("\\t");
            break;
          default:
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
        }
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  private static boolean pairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
