package ovpnagent.openvpn.mgmt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandResultTest {
  @Test
  void singleLineRepliesCompleteOnSuccessOrError() {
    CommandResult ok =
        new CommandResult.Collector(CommandResult.Kind.SINGLE_LINE, 10)
            .accept("SUCCESS: client-auth command succeeded");
    assertTrue(ok.success());
    assertEquals("client-auth command succeeded", ok.message());
    CommandResult err =
        new CommandResult.Collector(CommandResult.Kind.SINGLE_LINE, 10)
            .accept("ERROR: client-auth command failed");
    assertFalse(err.success());
    assertEquals("client-auth command failed", err.message());
    assertThrows(
        MgmtProtocolException.class,
        () -> new CommandResult.Collector(CommandResult.Kind.SINGLE_LINE, 10).accept("END"));
  }

  @Test
  void multiLineRepliesEndAtEndOrError() {
    CommandResult.Collector c = new CommandResult.Collector(CommandResult.Kind.MULTI_LINE, 10);
    assertNull(c.accept("OpenVPN Version: OpenVPN 2.6.14"));
    assertNull(c.accept("Management Version: 5"));
    CommandResult r = c.accept("END");
    assertEquals(List.of("OpenVPN Version: OpenVPN 2.6.14", "Management Version: 5"), r.lines());
    assertFalse(
        new CommandResult.Collector(CommandResult.Kind.MULTI_LINE, 10)
            .accept("ERROR: unknown command, enter 'help' for more options")
            .success());
    CommandResult.Collector small = new CommandResult.Collector(CommandResult.Kind.MULTI_LINE, 1);
    small.accept("a");
    assertThrows(MgmtProtocolException.class, () -> small.accept("b"));
  }
}
