package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import ovpnagent.dhcp.codec.DhcpCodec;
import ovpnagent.dhcp.codec.DhcpOptions;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MalformedPacketException;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.util.HwAddr;

/**
 * An in-process DHCP client (RFC 2131 §4.4 states SELECTING, INIT_REBOOT, RENEWING, REBINDING) that
 * talks to a {@link ServerHarness} through its InMemoryPacketIo. Each call sends one message, waits
 * (with a deadline) until the server has handled it, and returns the reply, if any.
 */
final class TestDhcpClient {
  enum State {
    INIT,
    SELECTING,
    REQUESTING,
    BOUND,
    INIT_REBOOT,
    RENEWING,
    REBINDING
  }

  /** One request and what came back (reply and sent are null when nothing was sent). */
  record Exchange(DhcpPacket request, DhcpPacket reply, InMemoryPacketIo.Sent sent) {
    MessageType type() {
      return reply == null ? null : reply.messageType();
    }
  }

  private final ServerHarness h;
  final HwAddr mac;
  State state = State.INIT;
  int ip;
  int serverId;
  int xid = ThreadLocalRandom.current().nextInt();
  byte[] clientId;
  int giaddr;
  boolean broadcastFlag = true;
  int[] parameters = {1, 3, 6, 15};
  byte[] relayInfo;
  private long lastDiscoverAt = Long.MIN_VALUE;

  TestDhcpClient(ServerHarness h, HwAddr mac) {
    this.h = h;
    this.mac = mac;
  }

  DhcpOptions.Builder options(MessageType t) {
    DhcpOptions.Builder o = DhcpOptions.builder().messageType(t);
    if (clientId != null) {
      o.put(OptionCode.CLIENT_ID, clientId);
    }
    if (parameters != null) {
      byte[] prl = new byte[parameters.length];
      for (int i = 0; i < prl.length; i++) {
        prl[i] = (byte) parameters[i];
      }
      o.put(OptionCode.PARAMETER_REQUEST_LIST, prl);
    }
    return o;
  }

  DhcpPacket.Builder packet(DhcpOptions.Builder o, int ciaddr) {
    if (relayInfo != null) {
      o.put(OptionCode.RELAY_AGENT_INFO, relayInfo);
    }
    return DhcpPacket.builder()
        .op(DhcpPacket.BOOTREQUEST)
        .mac(mac)
        .xid(xid)
        .hops(giaddr != 0 ? 1 : 0)
        .flags(broadcastFlag ? DhcpPacket.FLAG_BROADCAST : 0)
        .ciaddr(ciaddr)
        .giaddr(giaddr)
        .options(o.build());
  }

  /** Sends a packet and returns what the server answered. */
  Exchange send(DhcpPacket p) throws Exception {
    int srcIp = giaddr != 0 ? giaddr : p.ciaddr();
    int srcPort = giaddr != 0 ? 67 : 68;
    // RENEWING is the one state a client unicasts to the server itself; a relay forwards to it
    int dst =
        giaddr != 0 || state == State.RENEWING
            ? (serverId != 0 ? serverId : ServerHarness.SERVER)
            : PacketIo.BROADCAST;
    InMemoryPacketIo.Sent sent = sendRaw(DhcpCodec.encode(p, 1472), srcIp, srcPort, dst);
    return new Exchange(p, sent == null ? null : decode(sent), sent);
  }

  /** Injects raw bytes as a broadcast; waits until handled; returns the reply sent, or null. */
  InMemoryPacketIo.Sent sendRaw(byte[] bytes, int srcIp, int srcPort) throws Exception {
    return sendRaw(bytes, srcIp, srcPort, PacketIo.BROADCAST);
  }

  /** Injects raw bytes sent to {@code dst}; waits until handled; returns the reply, or null. */
  InMemoryPacketIo.Sent sendRaw(byte[] bytes, int srcIp, int srcPort, int dst) throws Exception {
    long before = h.service.processed();
    h.io.inject(bytes, srcIp, srcPort, dst);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (h.service.processed() <= before) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("server did not handle the packet within 5 s");
      }
      Thread.sleep(1);
    }
    return h.io.poll(h.replyWait);
  }

  static DhcpPacket decode(InMemoryPacketIo.Sent s) throws MalformedPacketException {
    return DhcpCodec.decode(s.data(), 0, s.data().length);
  }

  private void newXid() {
    xid = ThreadLocalRandom.current().nextInt();
  }

  /** DISCOVER with a new xid (optionally asking for {@code requested}). */
  Exchange discover(int requested) throws Exception {
    long now = h.clock.millis();
    if (lastDiscoverAt != Long.MIN_VALUE && now - lastDiscoverAt < 1001) {
      h.clock.advance(Duration.ofMillis(1001 - (now - lastDiscoverAt)));
    }
    lastDiscoverAt = h.clock.millis();
    newXid();
    state = State.SELECTING;
    DhcpOptions.Builder o = options(MessageType.DISCOVER);
    if (requested != 0) {
      o.putIpv4(OptionCode.REQUESTED_IP, requested);
    }
    return send(packet(o, 0).build());
  }

  Exchange discover() throws Exception {
    return discover(0);
  }

  /** REQUEST in SELECTING for {@code addr} from server {@code sid}, same xid as the DISCOVER. */
  Exchange requestSelecting(int addr, int sid) throws Exception {
    state = State.REQUESTING;
    DhcpOptions.Builder o = options(MessageType.REQUEST);
    o.putIpv4(OptionCode.REQUESTED_IP, addr);
    o.putIpv4(OptionCode.SERVER_ID, sid);
    Exchange e = send(packet(o, 0).build());
    bindFrom(e);
    return e;
  }

  private void bindFrom(Exchange e) {
    if (e.type() == MessageType.ACK) {
      state = State.BOUND;
      ip = e.reply().yiaddr();
      serverId = e.reply().options().ipv4(OptionCode.SERVER_ID);
    } else if (e.type() == MessageType.NAK) {
      state = State.INIT;
      ip = 0;
    }
  }

  /** DISCOVER, OFFER, REQUEST, ACK; returns the bound address. */
  int doDora() throws Exception {
    Exchange offer = discover();
    assertNotNull(offer.reply(), "no OFFER");
    assertEquals(MessageType.OFFER, offer.type());
    Exchange ack =
        requestSelecting(
            offer.reply().yiaddr(), offer.reply().options().ipv4(OptionCode.SERVER_ID));
    assertNotNull(ack.reply(), "no ACK");
    assertEquals(MessageType.ACK, ack.type());
    return ip;
  }

  /** RENEWING: unicast REQUEST with ciaddr, no 50/54. */
  Exchange doRenew() throws Exception {
    newXid();
    state = State.RENEWING;
    broadcastFlag = false;
    Exchange e = send(packet(options(MessageType.REQUEST), ip).build());
    bindFrom(e);
    return e;
  }

  /** REBINDING: broadcast REQUEST with ciaddr, no 50/54. */
  Exchange doRebind() throws Exception {
    newXid();
    state = State.REBINDING;
    Exchange e = send(packet(options(MessageType.REQUEST), ip).build());
    bindFrom(e);
    return e;
  }

  /** INIT-REBOOT: REQUEST with option 50 = {@code addr}, no 54, ciaddr 0. */
  Exchange doInitReboot(int addr) throws Exception {
    newXid();
    state = State.INIT_REBOOT;
    DhcpOptions.Builder o = options(MessageType.REQUEST);
    o.putIpv4(OptionCode.REQUESTED_IP, addr);
    Exchange e = send(packet(o, 0).build());
    bindFrom(e);
    return e;
  }

  /** RELEASE of the bound address. */
  Exchange doRelease() throws Exception {
    newXid();
    DhcpOptions.Builder o = DhcpOptions.builder().messageType(MessageType.RELEASE);
    if (clientId != null) {
      o.put(OptionCode.CLIENT_ID, clientId);
    }
    o.putIpv4(OptionCode.SERVER_ID, serverId);
    Exchange e = send(packet(o, ip).flags(0).build());
    state = State.INIT;
    return e;
  }

  /** DECLINE of {@code addr}. */
  Exchange doDecline(int addr) throws Exception {
    DhcpOptions.Builder o = DhcpOptions.builder().messageType(MessageType.DECLINE);
    if (clientId != null) {
      o.put(OptionCode.CLIENT_ID, clientId);
    }
    o.putIpv4(OptionCode.REQUESTED_IP, addr);
    o.putIpv4(OptionCode.SERVER_ID, ServerHarness.SERVER);
    Exchange e = send(packet(o, 0).flags(0).build());
    state = State.INIT;
    ip = 0;
    return e;
  }

  /** INFORM from a client configured with {@code ciaddr}. */
  Exchange doInform(int ciaddr) throws Exception {
    newXid();
    return send(packet(options(MessageType.INFORM), ciaddr).flags(0).build());
  }
}
