package ovpnagent.openvpn.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ovpnagent.util.Ipv4;

class ServerConfParserTest {
  private static final Path ETC = Path.of("/etc/openvpn/server");
  private static final Path SERVER = ETC.resolve("server.conf");

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ServerConfParserTest.class.getResource("/openvpn/conf/" + name).toURI());
  }

  /** Parses one in-memory file /etc/openvpn/server/server.conf. */
  private static ServerConf parse(String text) throws ConfParseException {
    return new ServerConfParser(ConfFiles.inMemory(Map.of(SERVER, text))).parse(SERVER);
  }

  private static ConfParseException bad(String text) {
    return assertThrows(ConfParseException.class, () -> parse(text));
  }

  private static List<String> tokens(String line) throws ConfParseException {
    return LineTokenizer.tokenize(line, SERVER, 1);
  }

  // --- tokens ---------------------------------------------------------------------------------

  @Test
  void tokensSplitOnAnyWhitespace() throws Exception {
    assertEquals(List.of("push", "route", "x"), tokens(" \tpush  route\fx \r"));
    assertEquals(List.of(), tokens("   "));
    assertEquals(List.of(), tokens(""));
  }

  @Test
  void doubleQuotesAllowOnlyThreeEscapes() throws Exception {
    assertEquals(
        List.of("push", "route 198.19.200.0 255.255.255.0"),
        tokens("push \"route 198.19.200.0 255.255.255.0\""));
    assertEquals(List.of("a\"b"), tokens("\"a\\\"b\""));
    assertEquals(List.of("c:\\dir\\f.key"), tokens("\"c:\\\\dir\\\\f.key\""));
    assertEquals(List.of("a b"), tokens("\"a\\ b\""));
    assertEquals(List.of(""), tokens("\"\""));
  }

  @Test
  void backslashWorksOutsideQuotesToo() throws Exception {
    assertEquals(List.of("up", "/etc/my script.sh"), tokens("up /etc/my\\ script.sh"));
    assertEquals(List.of("a\\b"), tokens("a\\\\b"));
  }

  @Test
  void singleQuotesAreLiteral() throws Exception {
    assertEquals(List.of("ca", "c:\\dir\\ca.crt"), tokens("ca 'c:\\dir\\ca.crt'"));
    assertEquals(
        List.of("x", "say \"hi\" # not a comment"), tokens("x 'say \"hi\" # not a comment'"));
  }

  @Test
  void commentStartsOnlyWhereATokenCould() throws Exception {
    assertEquals(List.of("dev", "tap"), tokens("dev tap  # x"));
    assertEquals(List.of("dev", "tap"), tokens("dev tap ;x"));
    assertEquals(List.of("dev", "tap#x"), tokens("dev tap#x"));
    assertEquals(List.of(), tokens("# dev tap0"));
    assertEquals(List.of(), tokens("   ;dev tap0"));
    assertEquals(List.of("push", "a"), tokens("push \"a\"#b"));
  }

  @Test
  void anyOtherBackslashIsAnError() {
    ConfParseException e =
        assertThrows(ConfParseException.class, () -> tokens("ca \"c:\\dir\\ca.crt\""));
    assertTrue(e.getMessage().startsWith(SERVER + ":1: bad backslash"), e.getMessage());
    assertThrows(ConfParseException.class, () -> tokens("ca c:\\dir"));
    assertThrows(ConfParseException.class, () -> tokens("\\x"));
  }

  @Test
  void unclosedQuotesAreErrors() {
    assertTrue(
        assertThrows(ConfParseException.class, () -> tokens("push \"route"))
            .reason()
            .contains("no closing quotation"));
    assertTrue(
        assertThrows(ConfParseException.class, () -> tokens("ca 'x"))
            .reason()
            .contains("no closing single quotation"));
    assertThrows(ConfParseException.class, () -> tokens("dev tap\\"));
  }

  @Test
  void sixteenTokensAreTheLimit() throws Exception {
    String sixteen = "o" + " a".repeat(15);
    assertEquals(16, tokens(sixteen).size());
    ConfParseException e = assertThrows(ConfParseException.class, () -> tokens(sixteen + " b"));
    assertTrue(e.reason().contains("more than 16 tokens"), e.getMessage());
  }

  @Test
  void tokensOver256CharactersAreErrors() throws Exception {
    assertEquals(256, tokens("x".repeat(256)).get(0).length());
    assertThrows(ConfParseException.class, () -> tokens("x".repeat(257)));
  }

  // --- lines and files ------------------------------------------------------------------------

  @Test
  void sampleFileWithBomCrlfQuotingAndInlineBlocks() throws Exception {
    Path file = resource("sample-server.conf");
    ServerConf c = new ServerConfParser().parse(file);
    Path dir = file.getParent();
    assertEquals(file, c.source());
    assertEquals("tap0", c.dev(), "the --dev prefix is dropped and the PEM's 'dev tun9' ignored");
    assertEquals("tap", c.devType());
    assertEquals(DeviceKind.TAP, c.deviceKind());
    assertTrue(c.modeServer());
    assertTrue(c.tlsServer());
    assertEquals(ServerBridge.Form.DHCP_PROXY, c.serverBridge().form());
    assertEquals(Topology.SUBNET, c.topology());
    assertTrue(c.topologyExplicit());
    ManagementEndpoint m = c.management();
    assertEquals(
        ManagementEndpoint.Kind.UNIX, m.kind(), "the PEM's TCP management line is ignored");
    assertEquals(Path.of("/run/openvpn-server/with space.sock"), m.unixPath());
    assertEquals(dir.resolve("mgmt.pw"), m.passwordFile());
    assertTrue(c.managementClientAuth());
    assertTrue(c.authUserPassOptional());
    assertEquals(2, c.scriptSecurity());
    assertEquals(
        Path.of("/usr/local/lib/ovpn-agent/hooks/learn-address"), c.learnAddress().program());
    assertEquals("/etc/openvpn/up.sh", c.up().command());
    assertEquals(dir.resolve("ccd"), c.clientConfigDir());
    assertTrue(c.vlanTagging());
    assertEquals(
        List.of(
            "route 198.19.200.0 255.255.255.0",
            "dhcp-option DOMAIN lab example",
            "dhcp-option DNS 198.19.0.1"),
        c.push());
    assertEquals(List.of("198.19.200.0 255.255.255.0", "198.19.201.0 255.255.255.0"), c.routes());
    assertEquals(List.of("status#1.log"), c.last("status").args());
    ConfOption ca = c.last("ca");
    assertTrue(ca.inline());
    assertEquals(List.of(), ca.args(), "inline content is never kept");
    assertEquals(23, ca.line());
    assertTrue(c.last("tls-crypt").inline());
    // the line after both blocks is numbered from the file, not from the parsed options
    assertEquals(41, c.last("keepalive").line());
    assertFalse(c.has("config"));
    for (ConfOption o : c.options()) {
      assertFalse(o.name().startsWith("-"), o.toString());
      assertFalse(o.name().contains("BEGIN"), o.toString());
    }
  }

  @Test
  void pemLinesThatLookLikeOptionsAreNeverParsed() throws Exception {
    ServerConf c =
        parse(
            """
            dev tap0
            server-bridge
            <cert>
            dev tun1
            server 10.0.0.0 255.0.0.0
            "unclosed \\q
            config /etc/passwd
            </cert>
            """);
    assertEquals("tap0", c.dev());
    assertNull(c.server());
    assertEquals(3, c.options().size());
  }

  @Test
  void missingEndTagIsAnErrorAtTheOpeningLine() {
    ConfParseException e = bad("dev tap0\n<key>\n-----BEGIN PRIVATE KEY-----\n</cert>\n");
    assertEquals(SERVER, e.file());
    assertEquals(2, e.line());
    assertTrue(e.reason().contains("no end tag </key>"), e.getMessage());
  }

  @Test
  void unknownInlineTagIsAnError() {
    ConfParseException e = bad("dev tap0\n<dev>\ntap1\n</dev>\n");
    assertEquals(2, e.line());
    assertTrue(e.reason().contains("not an inline option"), e.getMessage());
  }

  @Test
  void inlineTagWithDashesAndTrailingComment() throws Exception {
    ServerConf c = parse("--<tls-crypt-v2> # v2 key\nxx\n</tls-crypt-v2> trailing\ndev tun0\n");
    assertTrue(c.last("tls-crypt-v2").inline());
    assertEquals("tun0", c.dev());
  }

  @Test
  void lastScalarWinsListsAccumulate() throws Exception {
    ServerConf c =
        parse(
            """
            dev tap0
            dev tun3
            topology net30
            topology subnet
            mode p2p
            mode server
            script-security 3
            script-security 2
            push "a"
            push "b"
            route 198.19.1.0 255.255.255.0
            route 198.19.2.0 255.255.255.0 198.19.0.254
            """);
    assertEquals("tun3", c.dev());
    assertEquals(Topology.SUBNET, c.topology());
    assertTrue(c.modeServer());
    assertEquals(2, c.scriptSecurity());
    assertEquals(List.of("a", "b"), c.push());
    assertEquals(2, c.routes().size());
    assertEquals("198.19.2.0 255.255.255.0 198.19.0.254", c.routes().get(1));
  }

  @Test
  void defaults() throws Exception {
    ServerConf c = parse("dev tun0\nserver 198.19.128.0 255.255.255.0\n");
    assertEquals(Topology.NET30, c.topology(), "OpenVPN 2.6 defaults to net30");
    assertFalse(c.topologyExplicit());
    assertEquals(1, c.scriptSecurity());
    assertNull(c.management());
    assertFalse(c.managementClientAuth());
    assertEquals(Ipv4.parse("198.19.128.0"), c.server().network());
    assertFalse(c.server().nopool());
  }

  @Test
  void serverBridgeForms() throws Exception {
    assertEquals(ServerBridge.Form.DHCP_PROXY, parse("server-bridge\n").serverBridge().form());
    assertEquals(ServerBridge.Form.NOGW, parse("server-bridge nogw\n").serverBridge().form());
    ServerBridge p =
        parse("server-bridge 198.19.0.1 255.255.255.0 198.19.0.20 198.19.0.49\n").serverBridge();
    assertEquals(ServerBridge.Form.POOL, p.form());
    assertEquals(Ipv4.parse("198.19.0.20"), p.poolStart());
    assertEquals(Ipv4.parse("198.19.0.49"), p.poolEnd());
    assertEquals(3, bad("dev tap0\n\nserver-bridge 198.19.0.1 255.255.255.0\n").line());
    assertTrue(
        bad("server-bridge 198.19.0.1 255.255.255.0 198.19.0.300 198.19.0.49\n")
            .reason()
            .contains("not an IPv4 address"));
  }

  @Test
  void managementForms() throws Exception {
    ManagementEndpoint tcp = parse("management 127.0.0.1 7505 /etc/openvpn/pw\n").management();
    assertEquals(ManagementEndpoint.Kind.TCP, tcp.kind());
    assertEquals("127.0.0.1", tcp.host());
    assertEquals(7505, tcp.port());
    assertEquals(Path.of("/etc/openvpn/pw"), tcp.passwordFile());
    assertTrue(tcp.isLocal());
    ManagementEndpoint stdin = parse("management mgmt.sock unix stdin\n").management();
    assertTrue(stdin.passwordFromStdin());
    assertNull(stdin.passwordFile());
    assertEquals(ETC.resolve("mgmt.sock"), stdin.unixPath());
    assertFalse(parse("management 0.0.0.0 7505\n").management().isLocal());
    assertTrue(bad("management 127.0.0.1 http\n").reason().contains("port"));
    assertTrue(bad("management 127.0.0.1\n").reason().contains("missing argument 2"));
  }

  @Test
  void passwordFileIsNeverReadNorPrinted() throws Exception {
    List<Path> read = new ArrayList<>();
    Map<Path, String> files =
        Map.of(
            SERVER,
            "dev tap0\nserver-bridge\nmanagement /run/o.sock unix mgmt.pw\n",
            ETC.resolve("mgmt.pw"),
            "hunter2-secret\n");
    ConfFiles mem = ConfFiles.inMemory(files);
    ConfFiles recording =
        p -> {
          read.add(p);
          return mem.read(p);
        };
    ServerConf c = new ServerConfParser(recording).parse(SERVER);
    assertEquals(List.of(SERVER), read);
    assertFalse(c.toString().contains("hunter2"));
    assertTrue(c.toString().contains("password file " + ETC.resolve("mgmt.pw")), c.toString());
  }

  @Test
  void badArgumentsNameFileAndLine() {
    ConfParseException e = bad("dev tun0\n# c\nserver 198.19.128.0\n");
    assertEquals(SERVER, e.file());
    assertEquals(3, e.line());
    assertEquals(
        SERVER + ":3: server: missing argument 2 (expected an IPv4 netmask)", e.getMessage());
    assertEquals(1, bad("topology star\n").line());
    assertEquals(1, bad("dev-type ethernet\n").line());
    assertEquals(2, bad("dev tun0\nscript-security 5\n").line());
    assertEquals(1, bad("mode client\n").line());
    assertEquals(1, bad("dev\n").line());
    assertEquals(1, bad("ifconfig-pool 198.19.0.9 198.19.0.2\n").line());
    assertTrue(bad("up /etc/up.sh init\n").reason().contains("up: too many arguments"));
    assertTrue(bad("management-client-auth yes\n").reason().contains("too many arguments"));
  }

  @Test
  void longLinesAreErrors() throws Exception {
    // 254 characters + newline = 255: fits OpenVPN's 256-byte buffer with its NUL
    String ok = "push \"" + "x".repeat(254 - 7) + "\"";
    assertEquals(254, ok.length());
    assertEquals(1, parse(ok + "\n").push().size());
    ConfParseException e = bad("dev tun0\n" + ok + "x\n");
    assertEquals(2, e.line());
    assertTrue(e.reason().startsWith("line too long"), e.getMessage());
  }

  @Test
  void bomIsSkippedOnlyOnTheFirstLine() throws Exception {
    assertEquals("tun0", parse("\uFEFFdev tun0\n").dev());
    ConfOption o = parse("dev tun0\n\uFEFFfoo\n").options().get(1);
    assertEquals("\uFEFFfoo", o.name(), "a BOM elsewhere is part of the token");
  }

  // --- includes and cd ------------------------------------------------------------------------

  @Test
  void includesAndCdFromRealFiles() throws Exception {
    Path top = resource("inc/top.conf");
    Path inc = top.getParent();
    ServerConf c = new ServerConfParser().parse(top);
    assertEquals(Topology.SUBNET, c.topology(), "from part-a.conf next to top.conf");
    assertTrue(c.managementClientAuth(), "from other/part-c.conf, found relative to cd sub");
    assertEquals(
        List.of("route 198.19.200.0 255.255.255.0", "dhcp-option DNS 198.19.128.1"), c.push());
    assertEquals(inc.resolve("sub/mgmt.sock"), c.management().unixPath());
    assertEquals(inc.resolve("sub/ccd"), c.clientConfigDir());
    assertEquals(inc.resolve("sub"), c.directory());
    ConfOption mc = c.last("management-client-auth");
    assertEquals(inc.resolve("other/part-c.conf"), mc.file());
    assertEquals(1, mc.line());
  }

  @Test
  void relativePathsResolveAgainstTheFinalDirectory() throws Exception {
    // OpenVPN resolves the socket when it opens it, after parsing, i.e. after every cd
    Map<Path, String> files =
        Map.of(SERVER, "management mgmt.sock unix\ncd /srv/ovpn\nup \"./up.sh init\"\n");
    ServerConf c = new ServerConfParser(ConfFiles.inMemory(files)).parse(SERVER);
    assertEquals(Path.of("/srv/ovpn/mgmt.sock"), c.management().unixPath());
    assertEquals(Path.of("/srv/ovpn/up.sh"), c.up().program());
    assertEquals("./up.sh init", c.up().command());
  }

  @Test
  void includeDepthLimitIsTenFiles() throws Exception {
    Map<Path, String> files = new HashMap<>();
    for (int i = 1; i <= 11; i++) {
      files.put(ETC.resolve("f" + i + ".conf"), "dev tun" + i + "\nconfig f" + (i + 1) + ".conf\n");
    }
    files.put(ETC.resolve("f10.conf"), "dev tun10\n");
    ServerConfParser p = new ServerConfParser(ConfFiles.inMemory(files));
    assertEquals("tun10", p.parse(ETC.resolve("f1.conf")).dev(), "ten files deep is allowed");
    files.put(ETC.resolve("f10.conf"), "dev tun10\nconfig f11.conf\n");
    files.put(ETC.resolve("f11.conf"), "dev tun11\n");
    ServerConfParser p2 = new ServerConfParser(ConfFiles.inMemory(files));
    ConfParseException e =
        assertThrows(ConfParseException.class, () -> p2.parse(ETC.resolve("f1.conf")));
    assertEquals(ETC.resolve("f10.conf"), e.file());
    assertEquals(2, e.line());
    assertTrue(e.reason().contains("maximum include depth"), e.getMessage());
  }

  @Test
  void selfIncludeHitsTheDepthLimit() throws Exception {
    ConfParseException e =
        assertThrows(
            ConfParseException.class,
            () -> new ServerConfParser().parse(resource("inc/loop.conf")));
    assertEquals(2, e.line());
    assertTrue(e.reason().contains("include itself"), e.getMessage());
  }

  @Test
  void missingFilesAreNamed() {
    ConfParseException top =
        assertThrows(
            ConfParseException.class,
            () -> new ServerConfParser(ConfFiles.inMemory(Map.of())).parse(SERVER));
    assertEquals(0, top.line());
    assertTrue(top.getMessage().startsWith(SERVER + ": cannot read config file"), top.getMessage());
    assertEquals(1, bad("config a.conf b.conf\n").line());
    ConfParseException inc = bad("dev tun0\nconfig extra.conf\n");
    assertEquals(SERVER, inc.file());
    assertEquals(2, inc.line());
    assertTrue(inc.reason().contains(ETC.resolve("extra.conf").toString()), inc.getMessage());
  }

  @Test
  void errorsInIncludedFilesNameThatFile() {
    Path part = ETC.resolve("part.conf");
    Map<Path, String> files =
        Map.of(SERVER, "dev tun0\nconfig part.conf\n", part, "# part\n\npush \"unclosed\n");
    ConfParseException e =
        assertThrows(
            ConfParseException.class,
            () -> new ServerConfParser(ConfFiles.inMemory(files)).parse(SERVER));
    assertEquals(part, e.file());
    assertEquals(3, e.line());
  }

  @Test
  void explicitStartingDirectory() throws Exception {
    Map<Path, String> files = Map.of(Path.of("/srv/a/server.conf"), "management m.sock unix\n");
    ServerConf c =
        new ServerConfParser(ConfFiles.inMemory(files))
            .parse(Path.of("server.conf"), Path.of("/srv/a"));
    assertEquals(Path.of("/srv/a/m.sock"), c.management().unixPath());
  }
}
