package ovpnagent.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link DhcpCodec#peekMessageType}: the type without a decode, or null when unsure. */
class PeekMessageTypeTest {
  /** A BOOTREQUEST header with the cookie, then {@code options} (raw bytes). */
  private static byte[] request(int... options) {
    byte[] b = new byte[DhcpCodec.OPTIONS_OFFSET + options.length];
    b[0] = 1;
    b[1] = 1;
    b[2] = 6;
    DhcpCodec.putInt(b, DhcpCodec.HEADER_LENGTH, DhcpCodec.MAGIC_COOKIE);
    for (int i = 0; i < options.length; i++) {
      b[DhcpCodec.OPTIONS_OFFSET + i] = (byte) options[i];
    }
    return b;
  }

  private static MessageType peek(byte[] b) {
    return DhcpCodec.peekMessageType(b, 0, b.length);
  }

  @Test
  void everyCapturedClientPacketPeeksAsItDecodes() throws MalformedPacketException {
    int clientPackets = 0;
    for (CaptureFixtures.Exchange e : CaptureFixtures.all()) {
      for (CaptureFixtures.Packet p : e.packets()) {
        DhcpPacket d = DhcpCodec.decode(p.bytes());
        if (d.op() == 1) {
          clientPackets++;
          assertEquals(d.messageType(), peek(p.bytes()), e.name() + " " + p.label());
        } else {
          assertNull(peek(p.bytes()), "a server's reply is not peeked: " + p.label());
        }
      }
    }
    assertTrue(clientPackets >= 6, "captured client packets: " + clientPackets);
  }

  @Test
  void findsOptionFiftyThreeAfterPadsAndOtherOptions() {
    assertEquals(MessageType.DISCOVER, peek(request(0, 0, 53, 1, 1, 255)));
    assertEquals(
        MessageType.REQUEST, peek(request(61, 7, 1, 2, 3, 4, 5, 6, 7, 0, 53, 1, 3, 50, 4, 1, 2)));
  }

  @Test
  void unsureCasesGiveNull() {
    assertNull(peek(request(255, 53, 1, 1)), "after the end option");
    assertNull(peek(request(12, 9, 1, 2, 3)), "an option running past the datagram");
    assertNull(peek(request(53)), "option 53 without a length");
    assertNull(peek(request(53, 1)), "option 53 without its value");
    assertNull(peek(request(53, 2, 1, 1)), "option 53 of the wrong length");
    assertNull(peek(request(53, 1, 42)), "not one of the eight types");
    assertNull(peek(request(52, 1, 3)), "no option 53 in the options area (overload)");
    byte[] reply = request(53, 1, 1);
    reply[0] = 2;
    assertNull(peek(reply), "op 2");
    byte[] noCookie = request(53, 1, 1);
    noCookie[DhcpCodec.HEADER_LENGTH] = 0;
    assertNull(peek(noCookie), "no magic cookie");
    assertNull(peek(Arrays.copyOf(request(53, 1, 1), DhcpCodec.OPTIONS_OFFSET - 1)), "short");
  }

  @Test
  void readsOnlyTheGivenRange() {
    byte[] b = request(53, 1, 1);
    byte[] framed = new byte[b.length + 10];
    System.arraycopy(b, 0, framed, 5, b.length);
    assertEquals(MessageType.DISCOVER, DhcpCodec.peekMessageType(framed, 5, b.length));
    assertNull(DhcpCodec.peekMessageType(framed, 5, b.length - 1), "the value is cut off");
    assertThrows(IndexOutOfBoundsException.class, () -> DhcpCodec.peekMessageType(b, 1, b.length));
  }
}
