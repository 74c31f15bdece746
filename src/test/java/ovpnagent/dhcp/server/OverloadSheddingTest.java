package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ovpnagent.dhcp.codec.DhcpCodec;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;

/**
 * No collapse under overload: with the receive queue filling up, new DISCOVERs are shed (counted,
 * no reply) and a client that already holds an offer still gets its ACK; once the queue drains,
 * DISCOVERs are answered again.
 */
@ExtendWith(StartedHarness.class)
class OverloadSheddingTest {
  private ServerHarness h;

  private long counter(String name) {
    return h.metrics.counter(name).sum();
  }

  /** DISCOVERs of new clients until one is not answered (the guard samples the queue). */
  private int discoversUntilShed() throws Exception {
    for (int i = 1; i <= OverloadGuard.BACKLOG_SAMPLE_EVERY + 1; i++) {
      if (h.client().discover().reply() == null) {
        return i;
      }
    }
    throw new AssertionError("no DISCOVER was shed");
  }

  @Test
  void aFillingReceiveQueueShedsNewDiscoversButOfferedClientsComplete() throws Exception {
    TestDhcpClient offered = h.client();
    TestDhcpClient.Exchange offer = offered.discover();
    assertEquals(MessageType.OFFER, offer.type());
    long discoversBefore = counter("dhcp4.received.discover");

    h.io.setBacklogPercent(OverloadGuard.MAX_BACKLOG_PERCENT + 1);
    int sent = discoversUntilShed();
    for (int i = 0; i < 5; i++) {
      assertNull(h.client().discover().reply(), "shed while the queue stays full");
    }
    assertEquals(6, h.drops(DropReason.OVERLOAD));
    assertEquals(
        sent + 5, counter("dhcp4.received.discover") - discoversBefore, "shed ones still count");

    TestDhcpClient.Exchange ack =
        offered.requestSelecting(
            offer.reply().yiaddr(), offer.reply().options().ipv4(OptionCode.SERVER_ID));
    assertEquals(MessageType.ACK, ack.type(), "a REQUEST for an offer goes ahead");
    assertEquals(6, h.drops(DropReason.OVERLOAD));

    h.io.setBacklogPercent(0);
    boolean answered = false;
    for (int i = 0; i <= OverloadGuard.BACKLOG_SAMPLE_EVERY && !answered; i++) {
      answered = h.client().discover().reply() != null;
    }
    assertTrue(answered, "the drained queue is seen at the next sample");
  }

  @Test
  void aDiscoverWhoseTypeIsOnlyInTheFileFieldIsShedAfterDecoding() throws Exception {
    h.io.setBacklogPercent(OverloadGuard.MAX_BACKLOG_PERCENT + 1);
    // option 52 = 1: the options go on in the file field, where option 53 is; the early check
    // cannot see it there, so the decoded packet is checked (the guard's first call samples)
    byte[] b = new byte[300];
    b[0] = 1; // BOOTREQUEST, Ethernet, hlen 6, chaddr 02:00:00:00:00:09
    b[1] = 1;
    b[2] = 6;
    b[28] = 2;
    b[33] = 9;
    byte[] cookieAndOptions = {0x63, (byte) 0x82, 0x53, 0x63, 52, 1, 1, (byte) 255};
    System.arraycopy(cookieAndOptions, 0, b, 236, cookieAndOptions.length);
    byte[] inFile = {53, 1, 1, (byte) 255};
    System.arraycopy(inFile, 0, b, 108, inFile.length);
    assertNull(DhcpCodec.peekMessageType(b, 0, b.length));
    assertEquals(MessageType.DISCOVER, DhcpCodec.decode(b).messageType(), "fixture");

    assertNull(h.client().sendRaw(b, 0, 68));
    assertEquals(1, h.drops(DropReason.OVERLOAD));
  }
}
