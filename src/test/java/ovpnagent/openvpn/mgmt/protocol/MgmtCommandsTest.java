package ovpnagent.openvpn.mgmt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MgmtCommandsTest {
  @Test
  void clientAuthIsHeaderBodyEnd() {
    assertEquals(
        List.of("client-auth 3 7", "ifconfig-push 198.19.128.2 255.255.255.0", "END"),
        MgmtCommands.clientAuth(3, 7, List.of("ifconfig-push 198.19.128.2 255.255.255.0")));
    assertEquals(List.of("client-auth 0 1", "END"), MgmtCommands.clientAuth(0, 1, List.of()));
    assertThrows(
        MgmtProtocolException.class, () -> MgmtCommands.clientAuth(0, 1, List.of(" END ")));
    assertThrows(
        MgmtProtocolException.class, () -> MgmtCommands.clientAuth(0, 1, List.of("a\nEND")));
  }

  @Test
  void clientDenyQuotesAndEscapes() {
    assertEquals(
        "client-deny 3 1 \"common name 'evil' not permitted\" \"not authorized\"",
        MgmtCommands.clientDeny(3, 1, "common name 'evil' not permitted", "not authorized"));
    assertEquals(
        "client-deny 3 1 \"a \\\"b\\\" c\\\\d  e\"",
        MgmtCommands.clientDeny(3, 1, "a \"b\" c\\d\r\ne", null));
  }

  @Test
  void clientDenyStaysWithinTheLineLimit() {
    String line =
        MgmtCommands.clientDeny(4294967295L, 4294967295L, "x".repeat(5000), "y".repeat(5000));
    assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= MgmtCommands.MAX_SEND_BYTES);
  }

  @Test
  void linesOver1023BytesAreNeverSent() {
    MgmtCommands.checkLines(List.of("x".repeat(1023)));
    MgmtProtocolException e =
        assertThrows(
            MgmtProtocolException.class, () -> MgmtCommands.checkLines(List.of("x".repeat(1024))));
    assertTrue(e.getMessage().contains("1024 bytes"), e.getMessage());
    assertThrows(
        MgmtProtocolException.class, () -> MgmtCommands.checkLines(List.of("\u00e9".repeat(512))));
  }

  @Test
  void commandsWithoutAReplyNeverEnterTheFifo() {
    MgmtCommands.checkReplyable(List.of("version"));
    MgmtCommands.checkReplyable(List.of("status 3"));
    MgmtCommands.checkReplyable(List.of("client-auth 1 2", "END"));
    for (List<String> bad :
        List.of(
            List.<String>of(),
            List.of(""),
            List.of("# comment"),
            List.of("; comment"),
            List.of("quit"),
            List.of("EXIT"),
            List.of("version 4"),
            List.of("version\t4"),
            List.of("client-auth 1 2"),
            List.of("client-auth 1 2", "push \"x\""),
            List.of("status 3", "END"))) {
      assertThrows(
          MgmtProtocolException.class, () -> MgmtCommands.checkReplyable(bad), bad.toString());
    }
  }
}
