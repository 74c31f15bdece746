package ovpnagent.dhcp.server;

import ovpnagent.dhcp.codec.DhcpPacket;

/** Handles one message type after the filter; drops go through the context's {@link DropLog}. */
interface MessageHandler {
  /** Handles {@code p} from client {@code key}, served from subnet {@code s}, at {@code now} ms. */
  void handle(DhcpPacket p, Subnet s, String key, long now);

  /**
   * Like {@link #handle(DhcpPacket, Subnet, String, long)}, knowing the IP destination the datagram
   * was sent to ({@link PacketIo.Source#dst}: broadcast, one of our addresses, or 0 if unknown).
   * Only REQUEST depends on it (RENEWING is unicast, REBINDING broadcast).
   */
  default void handle(DhcpPacket p, int dst, Subnet s, String key, long now) {
    handle(p, s, key, now);
  }
}
