package ovpnagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import ovpnagent.util.Cidr;
import ovpnagent.util.Durations;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * A JSON object being read as one config section. Every read names its full key in errors; {@link
 * #done()} rejects keys nobody read, so a typo is an error, not a silently ignored setting.
 */
public final class Node {
  private final JsonNode json;
  private final String path;
  private final Set<String> seen = new HashSet<>();

  Node(JsonNode json, String path) throws ConfigException {
    if (json != null && !json.isNull() && !json.isObject()) {
      throw new ConfigException(path, "must be a JSON object");
    }
    this.json = json;
    this.path = path;
  }

  /** The full key of a child ({@code dhcp} + {@code pool} → {@code dhcp.pool}). */
  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public String path() {
    return path;
  }

  private JsonNode get(String name) {
    seen.add(name);
    if (json == null || json.isNull()) {
      return null;
    }
    JsonNode v = json.get(name);
    return v == null || v.isNull() ? null : v;
  }

  public boolean has(String name) {
    return json != null && json.has(name) && !json.get(name).isNull();
  }

  /** A child object (absent → an empty section, so defaults apply). */
  public Node child(String name) throws ConfigException {
    return new Node(get(name), key(name));
  }

  public String string(String name, String dflt) throws ConfigException {
    JsonNode v = get(name);
    if (v == null) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw new ConfigException(key(name), "must be a string");
    }
    return v.asText();
  }

  public String requiredString(String name) throws ConfigException {
    String s = string(name, null);
    if (s == null || s.isBlank()) {
      throw new ConfigException(key(name), "is required");
    }
    return s;
  }

  public boolean bool(String name, boolean dflt) throws ConfigException {
    JsonNode v = get(name);
    if (v == null) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw new ConfigException(key(name), "must be true or false");
    }
    return v.asBoolean();
  }

  public int integer(String name, int dflt, int min, int max) throws ConfigException {
    JsonNode v = get(name);
    if (v == null) {
      return dflt;
    }
    if (!v.isInt()) {
      throw new ConfigException(key(name), "must be an integer");
    }
    int i = v.asInt();
    if (i < min || i > max) {
      throw new ConfigException(key(name), "must be between " + min + " and " + max + ", got " + i);
    }
    return i;
  }

  public Duration duration(String name, Duration dflt) throws ConfigException {
    String s = string(name, null);
    if (s == null) {
      return dflt;
    }
    return convert(name, s, Durations::parse);
  }

  public Integer address(String name, Integer dflt) throws ConfigException {
    String s = string(name, null);
    if (s == null) {
      return dflt;
    }
    return convert(name, s, Ipv4::parse);
  }

  public int requiredAddress(String name) throws ConfigException {
    return convert(name, requiredString(name), Ipv4::parse);
  }

  public Cidr cidr(String name, Cidr dflt) throws ConfigException {
    String s = string(name, null);
    if (s == null) {
      return dflt;
    }
    return convert(name, s, Cidr::parse);
  }

  public List<String> strings(String name) throws ConfigException {
    JsonNode v = get(name);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name), "must be a list");
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw new ConfigException(key(name) + "[" + i + "]", "must be a string");
      }
      out.add(v.get(i).asText());
    }
    return out;
  }

  public List<Integer> addresses(String name) throws ConfigException {
    List<Integer> out = new ArrayList<>();
    List<String> s = strings(name);
    for (int i = 0; i < s.size(); i++) {
      out.add(convert(name + "[" + i + "]", s.get(i), Ipv4::parse));
    }
    return out;
  }

  public List<HwAddr> macs(String name) throws ConfigException {
    List<HwAddr> out = new ArrayList<>();
    List<String> s = strings(name);
    for (int i = 0; i < s.size(); i++) {
      out.add(convert(name + "[" + i + "]", s.get(i), HwAddr::parse));
    }
    return out;
  }

  /** A JSON array of arbitrary elements (objects or strings); absent → empty. */
  public List<JsonNode> array(String name) throws ConfigException {
    JsonNode v = get(name);
    List<JsonNode> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name), "must be a list");
    }
    v.forEach(out::add);
    return out;
  }

  /** A JSON object whose keys are free-form (e.g. reservations); values as raw JSON. */
  public Map<String, JsonNode> map(String name) throws ConfigException {
    JsonNode v = get(name);
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    if (!v.isObject()) {
      throw new ConfigException(key(name), "must be a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Wraps an element of an array or map as a section of its own. */
  public static Node of(JsonNode json, String path) throws ConfigException {
    return new Node(json, path);
  }

  /** Converts a string with a parser, turning its IllegalArgumentException into a keyed error. */
  public <T> T convert(String name, String text, Function<String, T> parser)
      throws ConfigException {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key(name), e.getMessage());
    }
  }

  /**
   * Fails on the first key of this object that no reader asked for; keys starting '_' are comments.
   */
  public void done() throws ConfigException {
    if (json == null || json.isNull()) {
      return;
    }
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!seen.contains(f) && !f.startsWith("_")) {
        throw new ConfigException(key(f), "unknown key");
      }
    }
  }
}
