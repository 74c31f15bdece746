package ovpnagent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.logging.Events;
import ovpnagent.metrics.Histogram;
import ovpnagent.metrics.Metrics;

/**
 * The control commands by name, and their dispatch: an unknown name answers result 2, a handler
 * exception answers result 1 with its message. Built in: {@code list-commands}, {@code
 * version-get}, {@code status-get}, {@code statistic-get}, {@code statistic-get-all}. Other
 * packages register theirs at wiring time, named as in the package documentation ({@code
 * lease4-get-all}, {@code instances-get}, ...), and add {@code status-get} sections with {@link
 * #addStatusSection}.
 */
public final class CommandRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRegistry.class);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Map<String, Entry> commands = new ConcurrentHashMap<>();
  private final Map<String, Supplier<JsonNode>> sections =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Metrics metrics;
  private final String version;
  private final InstantSource clock;
  private final Instant started;

  private record Entry(String help, ControlCommand handler) {}

  /** A registry with the built-ins, reporting {@code metrics}, the jar's version and wall time. */
  public CommandRegistry(Metrics metrics) {
    this(metrics, Version.current(), InstantSource.system());
  }

  /** A registry with the built-ins; {@code clock} gives the start time and uptime. */
  public CommandRegistry(Metrics metrics, String version, InstantSource clock) {
    this.metrics = metrics;
    this.version = version;
    this.clock = clock;
    this.started = clock.instant();
    registerBuiltins();
  }

  /**
   * Adds a command.
   *
   * @param name lower-case words joined by {@code -}, e.g. {@code lease4-get-all}
   * @param help one line for {@code list-commands {"help": true}}
   * @throws IllegalArgumentException if the name breaks the convention
   * @throws IllegalStateException if the name is already registered
   */
  public void register(String name, String help, ControlCommand handler) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "control command name must be lower-case words joined by '-', got '" + name + "'");
    }
    if (commands.putIfAbsent(name, new Entry(help == null ? "" : help, handler)) != null) {
      throw new IllegalStateException("control command '" + name + "' is already registered");
    }
  }

  /** Removes a command (for a service that stops); unknown names are ignored. */
  public void unregister(String name) {
    commands.remove(name);
  }

  /**
   * Adds (or replaces) a section of the {@code status-get} answer; the supplier is called on each
   * request and a failure shows as {@code {"error": message}} in that section only.
   */
  public void addStatusSection(String name, Supplier<JsonNode> section) {
    sections.put(name, section);
  }

  /** The registered command names, sorted. */
  public Set<String> names() {
    return new TreeMap<>(commands).keySet();
  }

  /** The registry's metrics (counts control requests and errors). */
  public Metrics metrics() {
    return metrics;
  }

  /** Runs a command; never throws. A null or missing {@code arguments} is an empty object. */
  public ControlResponse dispatch(String command, JsonNode arguments) {
    Entry e = command == null ? null : commands.get(command);
    if (e == null) {
      metrics.inc("control.unsupported");
      return new ControlResponse(
          ControlResponse.UNSUPPORTED, "'" + command + "' command not supported", null);
    }
    JsonNode args = arguments == null || arguments.isNull() ? JSON.objectNode() : arguments;
    metrics.inc("control.commands");
    try {
      ControlResponse r = e.handler().handle(args);
      return r == null ? new ControlResponse(ControlResponse.SUCCESS, "ok", null) : r;
    } catch (Exception | Error ex) {
      if (ex instanceof VirtualMachineError) {
        throw (VirtualMachineError) ex;
      }
      metrics.inc("control.errors");
      String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
      LOG.warn(
          "event=control_command_failed command={} reason={}",
          Events.value(command),
          Events.value(ex.toString()));
      return ControlResponse.error(msg);
    }
  }

  private void registerBuiltins() {
    register(
        "list-commands",
        "the supported commands; {\"help\": true} adds one line of help each",
        args -> {
          ArrayNode a = JSON.arrayNode();
          boolean help = args.path("help").asBoolean(false);
          for (Map.Entry<String, Entry> c : new TreeMap<>(commands).entrySet()) {
            if (help) {
              a.addObject().put("command", c.getKey()).put("help", c.getValue().help());
            } else {
              a.add(c.getKey());
            }
          }
          return ControlResponse.ok(a.size() + " commands", a);
        });
    register(
        "version-get",
        "the agent's version",
        args -> {
          ObjectNode o = JSON.objectNode();
          o.put("version", version);
          o.put("java", Runtime.version().toString());
          return ControlResponse.ok(version, o);
        });
    register("status-get", "pid, uptime, version and one section per subsystem", a -> status());
    register(
        "statistic-get-all",
        "every counter and gauge by name, and each histogram's count, sum and p50/p99 in ms",
        args -> ControlResponse.ok(statistics(null)));
    register(
        "statistic-get",
        "one statistic: {\"name\": \"dhcp4.received.discover\"}",
        args -> {
          String name = args.path("name").asText("");
          if (name.isEmpty()) {
            throw new IllegalArgumentException("missing 'name' argument");
          }
          ObjectNode o = statistics(name);
          return o.isEmpty()
              ? ControlResponse.empty("no statistic '" + name + "'")
              : ControlResponse.ok(o);
        });
    addStatusSection(
        "drops",
        () -> {
          ObjectNode o = JSON.objectNode();
          metrics
              .snapshot()
              .forEach(
                  (k, v) -> {
                    if (k.contains(".drop.") || k.endsWith(".drop")) {
                      o.put(k, v);
                    }
                  });
          return o;
        });
  }

  private ControlResponse status() {
    ObjectNode o = JSON.objectNode();
    Instant now = clock.instant();
    long uptime = Math.max(0, Duration.between(started, now).getSeconds());
    o.put("pid", ProcessHandle.current().pid());
    o.put("uptime", uptime);
    o.put("version", version);
    o.put("started", started.toString());
    Map<String, Supplier<JsonNode>> copy;
    synchronized (sections) {
      copy = new LinkedHashMap<>(sections);
    }
    for (Map.Entry<String, Supplier<JsonNode>> s : copy.entrySet()) {
      JsonNode v;
      try {
        v = s.getValue().get();
      } catch (RuntimeException e) {
        LOG.warn(
            "event=status_section_failed section={} reason={}",
            Events.value(s.getKey()),
            Events.value(e.toString()));
        v = JSON.objectNode().put("error", String.valueOf(e.getMessage()));
      }
      o.set(s.getKey(), v == null ? JSON.nullNode() : v);
    }
    return ControlResponse.ok("ovpn-agent " + version + " up " + uptime + " s", o);
  }

  private ObjectNode statistics(String only) {
    ObjectNode o = JSON.objectNode();
    metrics
        .snapshot()
        .forEach(
            (k, v) -> {
              if (only == null || only.equals(k)) {
                o.put(k, v);
              }
            });
    metrics
        .histograms()
        .forEach(
            (k, h) -> {
              if (only == null || only.equals(k)) {
                Histogram.Snapshot s = h.snapshot();
                ObjectNode n = o.putObject(k);
                n.put("count", s.count());
                n.put("sum_ms", s.sumMs());
                putMs(n, "p50_ms", s.quantile(0.5));
                putMs(n, "p99_ms", s.quantile(0.99));
              }
            });
    return o;
  }

  private static void putMs(ObjectNode n, String key, double v) {
    if (Double.isNaN(v)) {
      n.putNull(key);
    } else {
      n.put(key, Math.round(v * 1000) / 1000.0);
    }
  }
}
