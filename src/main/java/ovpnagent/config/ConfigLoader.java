package ovpnagent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * Reads the agent's JSON config file into an immutable {@link AgentConfig}, validating every key.
 * Relative paths in the file resolve against the file's directory. Errors name the file and key.
 */
public final class ConfigLoader {
  /** Default location used by the hooks and the CLI. */
  public static final Path DEFAULT_PATH = Path.of("/etc/ovpn-agent/agent.json");

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(JsonParser.Feature.ALLOW_COMMENTS)
          .build();

  private ConfigLoader() {}

  /** Loads and validates a config file. */
  public static AgentConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("", file + ": cannot read: " + e.getMessage());
    }
    try {
      return parse(text, file.toAbsolutePath());
    } catch (ConfigException e) {
      throw new ConfigException(e.key(), file + ": " + e.getMessage(), e.getCause());
    }
  }

  /** Parses config text; {@code source} is used to resolve relative paths. */
  public static AgentConfig parse(String text, Path source) throws ConfigException {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + " column "
                  + e.getLocation().getColumnNr();
      throw new ConfigException("", "not valid JSON" + where + ": " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("", "the config must be a JSON object");
    }
    Path base = source == null || source.getParent() == null ? Path.of(".") : source.getParent();
    Node top = Node.of(root, "");
    Path stateDir = resolve(base, top.string("stateDir", "/var/lib/ovpn-agent"));
    List<InstanceConfig> instances = instances(top.child("openvpn"), base);
    BridgeConfig bridge = bridge(top.child("bridge"));
    DhcpConfig dhcp = dhcp(top.child("dhcp"), bridge);
    Node st = top.child("store");
    String url =
        st.string(
            "url",
            "jdbc:h2:file:" + stateDir.resolve("leases").toAbsolutePath() + ";WRITE_DELAY=0");
    if (!url.startsWith("jdbc:")) {
      throw new ConfigException("store.url", "must be a JDBC URL (jdbc:...)");
    }
    st.done();
    Node ctl = top.child("control");
    Duration consoleIdle = ctl.duration("consoleIdleTimeout", ControlConfig.DEFAULT_CONSOLE_IDLE);
    if (consoleIdle.isNegative()) {
      throw new ConfigException("control.consoleIdleTimeout", "must not be negative");
    }
    ControlConfig control =
        new ControlConfig(
            resolve(base, ctl.string("socket", "/run/ovpn-agent/control.sock")),
            ctl.string("group", null),
            consoleIdle);
    ctl.done();
    Node met = top.child("metrics");
    String listen = met.string("listen", "127.0.0.1:9469");
    if (listen != null && !listen.isEmpty() && !listen.matches("[^:]+:\\d{1,5}")) {
      throw new ConfigException("metrics.listen", "must be host:port, got '" + listen + "'");
    }
    met.done();
    Node lg = top.child("log");
    String level = lg.string("level", "info").toLowerCase(Locale.ROOT);
    if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
      throw new ConfigException("log.level", "must be error, warn, info, debug or trace");
    }
    String logFile = lg.string("file", null);
    lg.done();
    SitesConfig sites = sites(top.child("sites"));
    top.done();
    return new AgentConfig(
        source,
        stateDir,
        instances,
        bridge,
        dhcp,
        new StoreConfig(url),
        control,
        new MetricsConfig(listen == null || listen.isEmpty() ? null : listen),
        new LogConfig(level, logFile == null ? null : resolve(base, logFile).toString()),
        sites);
  }

  private static Path resolve(Path base, String p) {
    Path path = Path.of(p);
    return path.isAbsolute() ? path : base.resolve(path).normalize();
  }

  private static List<InstanceConfig> instances(Node ov, Path base) throws ConfigException {
    List<InstanceConfig> out = new ArrayList<>();
    List<JsonNode> entries = ov.array("configs");
    for (int i = 0; i < entries.size(); i++) {
      String key = ov.key("configs") + "[" + i + "]";
      JsonNode e = entries.get(i);
      if (e.isTextual()) {
        Path p = resolve(base, e.asText());
        out.add(
            new InstanceConfig(
                p,
                defaultName(p),
                null,
                List.of(),
                AuthPolicy.allowAll(),
                null,
                Duration.ofHours(1)));
        continue;
      }
      Node n = Node.of(e, key);
      Path p = resolve(base, n.requiredString("config"));
      String name = n.string("name", defaultName(p));
      Node routed = n.child("routed");
      Cidr pool = routed.cidr("pool", null);
      Duration grace = routed.duration("releaseGrace", Duration.ofHours(1));
      routed.done();
      List<String> push = n.strings("push");
      for (int j = 0; j < push.size(); j++) {
        String line = push.get(j);
        if (line.contains("\n") || line.length() > 1000) {
          throw new ConfigException(
              n.key("push") + "[" + j + "]", "must be one line under 1000 bytes");
        }
      }
      Node a = n.child("auth");
      AuthPolicy auth =
          new AuthPolicy(
              a.strings("allow"), a.strings("deny"), a.string("denyReason", "not authorized"));
      a.done();
      String console = n.string("console", null);
      n.done();
      out.add(
          new InstanceConfig(
              p, name, pool, push, auth, console == null ? null : resolve(base, console), grace));
    }
    ov.done();
    return out;
  }

  private static String defaultName(Path p) {
    String f = p.getFileName().toString();
    return f.endsWith(".conf") ? f.substring(0, f.length() - 5) : f;
  }

  private static BridgeConfig bridge(Node b) throws ConfigException {
    String name = b.string("name", "br0");
    if (name.isEmpty()
        || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15
        || !name.matches("[A-Za-z0-9_.:-]+")) {
      throw new ConfigException(b.key("name"), "must be an interface name of 1-15 characters");
    }
    Cidr address = b.cidr("address", null);
    if (address != null && !address.isHost(address.address())) {
      throw new ConfigException(
          b.key("address"), "must be a host address with its prefix, e.g. 198.19.0.1/24");
    }
    List<String> lan = b.strings("lanInterfaces");
    boolean proxyArp = b.bool("proxyArp", false);
    b.done();
    return new BridgeConfig(name, address, lan, proxyArp);
  }

  private static DhcpConfig dhcp(Node d, BridgeConfig bridge) throws ConfigException {
    boolean enabled = d.bool("enabled", false);
    Node pool = d.child("pool");
    Integer start = pool.address("start", null);
    Integer end = pool.address("end", null);
    pool.done();
    Duration lease = d.duration("leaseTime", Duration.ofHours(1));
    List<Integer> routers = d.addresses("routers");
    List<Integer> dns = d.addresses("dnsServers");
    String domain = d.string("domainName", null);
    if (domain != null && (domain.length() > 255 || !domain.matches("[A-Za-z0-9.-]+"))) {
      throw new ConfigException(d.key("domainName"), "must be a DNS domain name");
    }
    boolean authoritative = d.bool("authoritative", false);
    Duration probation = d.duration("declineProbation", Duration.ofHours(1));
    String limit = d.string("declineLimit", "3/1h");
    int declineLimit;
    Duration declineWindow;
    int slash = limit.indexOf('/');
    try {
      if (slash < 0) {
        throw new IllegalArgumentException("x");
      }
      declineLimit = Integer.parseInt(limit.substring(0, slash).trim());
      declineWindow = ovpnagent.util.Durations.parse(limit.substring(slash + 1));
      if (declineLimit < 1) {
        throw new IllegalArgumentException("x");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(d.key("declineLimit"), "must look like 3/1h, got '" + limit + "'");
    }
    Duration flap = d.duration("flapWindow", Duration.ofSeconds(1));
    Duration offer = d.duration("offerLifetime", Duration.ofSeconds(30));
    Duration ping = d.duration("pingCheck", Duration.ZERO);
    Map<String, Integer> reservations = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : d.map("reservations").entrySet()) {
      String k = d.key("reservations") + "." + e.getKey();
      String client = normalizeClientKey(e.getKey(), k);
      if (!e.getValue().isTextual()) {
        throw new ConfigException(k, "must be an IPv4 address string");
      }
      int ip;
      try {
        ip = Ipv4.parse(e.getValue().asText());
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(k, ex.getMessage());
      }
      if (reservations.containsValue(ip)) {
        throw new ConfigException(k, Ipv4.format(ip) + " is reserved twice");
      }
      reservations.put(client, ip);
    }
    List<HwAddr> allow = d.macs("allow");
    List<HwAddr> deny = d.macs("deny");
    d.done();
    if (lease.toSeconds() < 60 || lease.toSeconds() > 0xfffffffeL) {
      throw new ConfigException(d.key("leaseTime"), "must be between 60s and 136y");
    }
    if (offer.isZero() || offer.isNegative()) {
      throw new ConfigException(d.key("offerLifetime"), "must be positive");
    }
    if (!ping.isZero()
        && (ping.toMillis() < 10 || ping.toMillis() > 5000 || ping.compareTo(offer) >= 0)) {
      throw new ConfigException(
          d.key("pingCheck"),
          "must be 0s (off) or between 10ms and 5s, and shorter than offerLifetime");
    }
    if (enabled) {
      validatePool(bridge, start, end, reservations);
    }
    return new DhcpConfig(
        enabled,
        start == null ? 0 : start,
        end == null ? 0 : end,
        lease,
        routers,
        dns,
        domain,
        authoritative,
        probation,
        declineLimit,
        declineWindow,
        flap,
        offer,
        ping,
        reservations,
        allow,
        deny);
  }

  /** With DHCP enabled: the pool is given, inside the bridge subnet, and not empty. */
  private static void validatePool(
      BridgeConfig bridge, Integer start, Integer end, Map<String, Integer> reservations)
      throws ConfigException {
    if (bridge.address() == null) {
      throw new ConfigException("bridge.address", "is required when dhcp.enabled is true");
    }
    if (start == null) {
      throw new ConfigException("dhcp.pool.start", "is required when dhcp.enabled is true");
    }
    if (end == null) {
      throw new ConfigException("dhcp.pool.end", "is required when dhcp.enabled is true");
    }
    Cidr net = bridge.address();
    if (!net.isHost(start)) {
      throw new ConfigException(
          "dhcp.pool.start", Ipv4.format(start) + " is outside the bridge subnet " + net);
    }
    if (!net.isHost(end)) {
      throw new ConfigException(
          "dhcp.pool.end", Ipv4.format(end) + " is outside the bridge subnet " + net);
    }
    if (Ipv4.compare(start, end) > 0) {
      throw new ConfigException(
          "dhcp.pool",
          "is empty: start " + Ipv4.format(start) + " is after end " + Ipv4.format(end));
    }
    if (Ipv4.compare(start, net.address()) <= 0
        && Ipv4.compare(net.address(), end) <= 0
        && start.equals(end)) {
      throw new ConfigException("dhcp.pool", "is empty: its only address is the bridge address");
    }
    for (Map.Entry<String, Integer> r : reservations.entrySet()) {
      if (r.getValue() == net.address()) {
        throw new ConfigException("dhcp.reservations." + r.getKey(), "is the bridge's own address");
      }
    }
  }

  /**
   * Normalizes a reservation key: a MAC becomes its canonical form; {@code id:01:aa:..} or {@code
   * id:01aabb..} a client identifier in lower-case hex without separators, prefixed {@code id:}.
   */
  static String normalizeClientKey(String raw, String key) throws ConfigException {
    if (raw.startsWith("id:")) {
      String hex = raw.substring(3).replace(":", "").replace("-", "").toLowerCase(Locale.ROOT);
      if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.matches("[0-9a-f]+")) {
        throw new ConfigException(
            key, "client identifier must be hex, e.g. id:01:52:50:0e:2b:80:24");
      }
      return "id:" + hex;
    }
    try {
      return HwAddr.parse(raw).toString();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "must be a MAC address or id:HEX client identifier");
    }
  }

  private static SitesConfig sites(Node s) throws ConfigException {
    Map<String, SitesConfig.Site> routers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : s.map("routers").entrySet()) {
      String k = s.key("routers") + "." + e.getKey();
      JsonNode v = e.getValue();
      Cidr subnet;
      Integer gw = null;
      if (v.isTextual()) {
        try {
          subnet = Cidr.parse(v.asText());
        } catch (IllegalArgumentException ex) {
          throw new ConfigException(k, ex.getMessage());
        }
      } else {
        Node n = Node.of(v, k);
        subnet = n.cidr("subnet", null);
        if (subnet == null) {
          throw new ConfigException(n.key("subnet"), "is required");
        }
        gw = n.address("gateway", null);
        n.done();
      }
      if (subnet.prefix() > 30) {
        throw new ConfigException(k, "subnet " + subnet + " is too small (at most /30)");
      }
      routers.put(
          e.getKey(), new SitesConfig.Site(new Cidr(subnet.network(), subnet.prefix()), gw));
    }
    Cidr supernet = s.cidr("supernet", null);
    int prefixLength = s.integer("prefixLength", 24, 8, 30);
    s.done();
    if (supernet != null && prefixLength <= supernet.prefix()) {
      throw new ConfigException(
          "sites.prefixLength", "must be longer than the supernet's prefix " + supernet.prefix());
    }
    return new SitesConfig(
        routers,
        supernet == null ? null : new Cidr(supernet.network(), supernet.prefix()),
        prefixLength);
  }
}
