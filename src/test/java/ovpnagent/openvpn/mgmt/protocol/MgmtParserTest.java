package ovpnagent.openvpn.mgmt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MgmtParserTest {
  private final MgmtParser parser = new MgmtParser();

  private MgmtEvent feed(String... lines) {
    Optional<MgmtEvent> last = Optional.empty();
    for (int i = 0; i < lines.length; i++) {
      last = parser.accept(lines[i]);
      if (i < lines.length - 1) {
        assertTrue(last.isEmpty(), "event before the block ended at " + lines[i]);
      }
    }
    return last.orElseThrow(() -> new AssertionError("no event"));
  }

  @Test
  void connectBlockEndsAtEnvEndAndKeepsOrder() {
    MgmtEvent e =
        feed(
            ">CLIENT:CONNECT,0,1",
            ">CLIENT:ENV,untrusted_ip=198.18.0.2",
            ">CLIENT:ENV,password=hunter2",
            ">CLIENT:ENV,common_name=router-a",
            ">CLIENT:ENV,tls_id_0=CN=router-a",
            ">CLIENT:ENV,END");
    MgmtEvent.ClientConnect c = assertInstanceOf(MgmtEvent.ClientConnect.class, e);
    assertEquals(0, c.cid());
    assertEquals(1, c.kid());
    assertEquals("router-a", c.env().commonName());
    assertEquals("198.18.0.2", c.env().realAddress());
    assertEquals("CN=router-a", c.env().get("tls_id_0"), "value split at the first '=' only");
    assertEquals(
        List.of("untrusted_ip", "password", "common_name", "tls_id_0"),
        List.copyOf(c.env().asMap().keySet()));
    assertFalse(c.env().toString().contains("hunter2"), c.env().toString());
    assertTrue(c.env().toString().contains("password=***"));
    assertFalse(parser.inClientBlock());
  }

  @Test
  void reauthEstablishedDisconnectAndCrResponse() {
    MgmtEvent.ClientReauth r =
        assertInstanceOf(
            MgmtEvent.ClientReauth.class,
            feed(">CLIENT:REAUTH,4294967295,3", ">CLIENT:ENV,common_name=a", ">CLIENT:ENV,END"));
    assertEquals(4294967295L, r.cid());
    assertEquals(3, r.kid());
    MgmtEvent.ClientEstablished est =
        assertInstanceOf(
            MgmtEvent.ClientEstablished.class,
            feed(">CLIENT:ESTABLISHED,7", ">CLIENT:ENV,trusted_ip=198.18.0.2", ">CLIENT:ENV,END"));
    assertEquals("198.18.0.2", est.env().realAddress());
    MgmtEvent.ClientDisconnect d =
        assertInstanceOf(
            MgmtEvent.ClientDisconnect.class, feed(">CLIENT:DISCONNECT,7", ">CLIENT:ENV,END"));
    assertEquals(0, d.env().size());
    MgmtEvent.ClientCrResponse cr =
        assertInstanceOf(
            MgmtEvent.ClientCrResponse.class,
            feed(">CLIENT:CR_RESPONSE,1,2,dGVzdA==", ">CLIENT:ENV,END"));
    assertEquals("dGVzdA==", cr.response());
  }

  @Test
  void singleLineNotifications() {
    assertEquals(
        new MgmtEvent.ClientAddress(0, "198.19.200.0/255.255.255.0", false),
        parser.accept(">CLIENT:ADDRESS,0,198.19.200.0/255.255.255.0,0").orElseThrow());
    assertEquals(
        new MgmtEvent.Hold("Waiting for hold release:10"),
        parser.accept(">HOLD:Waiting for hold release:10").orElseThrow());
    MgmtEvent.State s =
        assertInstanceOf(
            MgmtEvent.State.class,
            parser.accept(">STATE:1795362869,RECONNECTING,SIGHUP,,,,,").orElseThrow());
    assertTrue(s.isReconnecting());
    assertEquals("SIGHUP", s.description());
    assertEquals(List.of("", "", "", "", ""), s.rest());
    MgmtEvent.State c =
        assertInstanceOf(
            MgmtEvent.State.class,
            parser.accept(">STATE:1795362870,CONNECTED,SUCCESS,,,,198.18.0.1,1194").orElseThrow());
    assertFalse(c.isReconnecting());
    assertEquals(
        new MgmtEvent.Log(1795362870L, "I", "text, with, commas"),
        parser.accept(">LOG:1795362870,I,text, with, commas").orElseThrow());
    assertEquals(
        new MgmtEvent.Other("BYTECOUNT_CLI", "0,3625,3282"),
        parser.accept(">BYTECOUNT_CLI:0,3625,3282").orElseThrow());
    assertInstanceOf(
        MgmtEvent.PasswordPrompt.class,
        parser.accept(">PASSWORD:Need 'Auth' username/password").orElseThrow());
    assertInstanceOf(MgmtEvent.Fatal.class, parser.accept(">FATAL:bye").orElseThrow());
  }

  @Test
  void otherLinesInsideABlockDoNotBreakIt() {
    assertTrue(parser.accept(">CLIENT:CONNECT,1,1").isEmpty());
    assertInstanceOf(MgmtEvent.Info.class, parser.accept(">INFO:x").orElseThrow());
    assertTrue(parser.accept(">CLIENT:ENV,common_name=b").isEmpty());
    assertEquals(
        "b",
        ((MgmtEvent.ClientConnect) parser.accept(">CLIENT:ENV,END").orElseThrow())
            .env()
            .commonName());
  }

  @Test
  void malformedLinesThrowTheOneExceptionAndLeaveTheParserUsable() {
    for (String bad :
        List.of(
            ">NOCOLON",
            ">:empty source",
            ">lower:x",
            "not a notification",
            ">CLIENT:ENV,x=y",
            ">CLIENT:CONNECT,x,1",
            ">CLIENT:CONNECT,1",
            ">CLIENT:CONNECT,99999999999,1",
            ">STATE:notatime,CONNECTED",
            ">LOG:1,I",
            ">CLIENT:ADDRESS,1,2")) {
      MgmtProtocolException e =
          assertThrows(MgmtProtocolException.class, () -> parser.accept(bad), bad);
      assertTrue(
          e.getMessage().contains("expected") || e.getMessage().contains("outside"),
          e.getMessage());
    }
    assertTrue(parser.accept(">CLIENT:CONNECT,1,1").isEmpty());
    assertThrows(MgmtProtocolException.class, () -> parser.accept(">CLIENT:ENV,noequals"));
    assertEquals(
        1, ((MgmtEvent.ClientConnect) parser.accept(">CLIENT:ENV,END").orElseThrow()).cid());
  }

  @Test
  void aNewBlockWhileOneIsOpenIsReportedAndTheNewOneWins() {
    parser.accept(">CLIENT:CONNECT,1,1");
    assertThrows(MgmtProtocolException.class, () -> parser.accept(">CLIENT:DISCONNECT,2"));
    assertEquals(
        2, ((MgmtEvent.ClientDisconnect) parser.accept(">CLIENT:ENV,END").orElseThrow()).cid());
  }

  @Test
  void envBlockIsCapped() {
    parser.accept(">CLIENT:CONNECT,1,1");
    for (int i = 0; i < ClientEnv.MAX_ENTRIES + 10; i++) {
      parser.accept(">CLIENT:ENV,k" + i + "=v");
    }
    ClientEnv env =
        ((MgmtEvent.ClientConnect) parser.accept(">CLIENT:ENV,END").orElseThrow()).env();
    assertEquals(ClientEnv.MAX_ENTRIES, env.size());
    assertEquals(10, env.dropped());
  }

  @Test
  void lineLengthIsCapped() {
    String longLine = ">INFO:" + "x".repeat(MgmtParser.MAX_LINE_CHARS);
    assertThrows(MgmtProtocolException.class, () -> parser.accept(longLine));
  }

  @Test
  void envMasksEveryPasswordName() {
    ClientEnv env = ClientEnv.of(Map.of("auth_password", "p1"));
    assertEquals("{auth_password=***}", env.toString());
  }
}
