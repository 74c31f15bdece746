package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.DhcpCodec;
import ovpnagent.dhcp.codec.DhcpOptions;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.util.Ipv4;

class MalformedInputTest {
  private ServerHarness h;
  private TestDhcpClient c;

  @BeforeEach
  void setUp() throws Exception {
    h = new ServerHarness().start();
    c = h.client();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private byte[] valid(MessageType t) {
    return DhcpCodec.encode(c.packet(c.options(t), 0).build(), 1472);
  }

  @Test
  void shortAndBadCookiePacketsAreCountedAsMalformed() throws Exception {
    assertNull(c.sendRaw(new byte[0], 0, 68));
    assertNull(c.sendRaw(new byte[100], 0, 68));
    byte[] bad = valid(MessageType.DISCOVER);
    bad[236] = 0;
    assertNull(c.sendRaw(bad, 0, 68));
    assertEquals(3, h.drops(DropReason.MALFORMED));
    // hlen over 16 is a defect the codec tolerates; the filter drops it as a bad hardware address.
    byte[] hlen = valid(MessageType.DISCOVER);
    hlen[2] = 20;
    assertNull(c.sendRaw(hlen, 0, 68));
    assertEquals(1, h.drops(DropReason.BAD_HWADDR));
  }

  @Test
  void wrongOpHardwareAndTypesAreCounted() throws Exception {
    byte[] reply = valid(MessageType.DISCOVER);
    reply[0] = 2;
    assertNull(c.sendRaw(reply, 0, 68));
    assertEquals(1, h.drops(DropReason.NOT_REQUEST));
    byte[] token = valid(MessageType.DISCOVER);
    token[1] = 6;
    assertNull(c.sendRaw(token, 0, 68));
    assertEquals(1, h.drops(DropReason.BAD_HWADDR));
    assertNull(c.sendRaw(valid(MessageType.OFFER), 0, 68));
    byte[] bootp = DhcpCodec.encode(c.packet(DhcpOptions.builder(), 0).build(), 1472);
    assertNull(c.sendRaw(bootp, 0, 68));
    DhcpOptions.Builder nine = DhcpOptions.builder().putU8(53, 9);
    assertNull(c.sendRaw(DhcpCodec.encode(c.packet(nine, 0).build(), 1472), 0, 68));
    assertEquals(3, h.drops(DropReason.UNKNOWN_TYPE));
    assertEquals(2, h.metrics.get("dhcp4.received.unknown"));
    DhcpOptions.Builder none = c.options(MessageType.REQUEST);
    assertNull(c.send(c.packet(none, 0).build()).reply());
    assertEquals(1, h.drops(DropReason.RFC_VIOLATION));
  }

  @Test
  void garbageNeverKillsTheLoop() throws Exception {
    Random r = new Random(42);
    TestDhcpClient other = h.client();
    byte[] template =
        DhcpCodec.encode(other.packet(other.options(MessageType.REQUEST), 0).build(), 1472);
    for (int i = 0; i < 2000; i++) {
      byte[] b;
      if (i % 2 == 0) {
        b = new byte[r.nextInt(600)];
        r.nextBytes(b);
      } else {
        b = template.clone();
        for (int k = 0; k < 8; k++) {
          int at = 240 + r.nextInt(b.length - 240);
          b[at] = (byte) r.nextInt(256);
        }
        b[0] = 1;
      }
      h.io.inject(b, Ipv4.parse("198.18.0.9"), 68);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (h.service.processed() < 2000 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(2000, h.service.processed());
    while (h.io.poll(java.time.Duration.ZERO) != null) {
      // replies to mutated-but-valid requests (NAKs) are fine
    }
    // The loop is still alive and serving after the garbage.
    assertEquals(MessageType.ACK, dora());
    assertEquals(2000 + 2, h.service.metrics().receivedTotal());
    assertEquals(0, h.drops(DropReason.INTERNAL_ERROR));
  }

  private MessageType dora() throws Exception {
    c.doDora();
    return MessageType.ACK;
  }
}
