package ovpnagent.openvpn.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import ovpnagent.openvpn.mgmt.protocol.MgmtParser;

class LineReaderTest {
  private final AtomicInteger overlong = new AtomicInteger();

  private LineReader reader(String text, int max) {
    return new LineReader(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        max,
        overlong::incrementAndGet);
  }

  @Test
  void promptWithoutLineEndingIsALine() throws Exception {
    LineReader r = reader("ENTER PASSWORD:SUCCESS: password is correct\r\n>INFO:x\n", 100);
    assertSame(MgmtParser.PASSWORD_PROMPT, r.next());
    assertEquals("SUCCESS: password is correct", r.next());
    assertEquals(">INFO:x", r.next());
    assertNull(r.next());
  }

  @Test
  void crlfAndLfAndEmptyLines() throws Exception {
    LineReader r = reader("a\r\n\r\nb\nc\r", 100);
    assertEquals("a", r.next());
    assertEquals("", r.next());
    assertEquals("b", r.next());
    assertNull(r.next(), "an unterminated tail is not a line");
  }

  @Test
  void overlongLinesAreDiscardedToTheNextNewline() throws Exception {
    LineReader r = reader("x".repeat(50) + "\r\nok\r\n" + "y".repeat(11) + "\nlast\n", 10);
    assertEquals("ok", r.next());
    assertEquals("last", r.next());
    assertEquals(2, overlong.get());
    assertEquals("é", reader("é\n", 10).next());
  }
}
