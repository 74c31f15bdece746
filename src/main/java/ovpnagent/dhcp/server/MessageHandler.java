package ovpnagent.dhcp.server;

import ovpnagent.dhcp.codec.DhcpPacket;

/** Handles one message type after the filter; drops go through the context's {@link DropLog}. */
interface MessageHandler {
  /** Handles {@code p} from client {@code key}, served from subnet {@code s}, at {@code now} ms. */
  void handle(DhcpPacket p, Subnet s, String key, long now);
}
