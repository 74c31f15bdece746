package ovpnagent.dhcp.server;

import java.io.Closeable;
import java.io.IOException;
import ovpnagent.util.HwAddr;

/**
 * The DHCP server's only I/O: datagrams in, replies out, on one link. {@link #receive} is called
 * from one thread; {@link #send} must be thread-safe (ACKs leave from the store's completion
 * thread).
 */
public interface PacketIo extends Closeable {
  /** Limited broadcast 255.255.255.255. */
  int BROADCAST = 0xffffffff;

  /** {@link #receive} result: the PacketIo is closed. */
  int CLOSED = -1;

  /** {@link #receive} result: nothing arrived within the poll interval. */
  int TIMEOUT = -2;

  /** Where a datagram came from; a mutable holder reused by the receive loop. */
  final class Source {
    /** Source IPv4 address. */
    public int ip;

    /** Source UDP port. */
    public int port;

    /**
     * The IPv4 destination the datagram was sent to (its IP header): {@link PacketIo#BROADCAST} for
     * a broadcast, one of our addresses for a unicast, 0 if the implementation cannot tell.
     */
    public int dst;

    /** Sets the source; the destination is unknown (0). */
    public void set(int fromIp, int fromPort) {
      set(fromIp, fromPort, 0);
    }

    /** Sets every field. */
    public void set(int fromIp, int fromPort, int toIp) {
      ip = fromIp;
      port = fromPort;
      dst = toIp;
    }
  }

  /** Opens a PacketIo for one bridge. */
  @FunctionalInterface
  interface Factory {
    /** Opens the link {@code ifname} whose address is {@code serverAddress}. */
    PacketIo open(String ifname, int serverAddress) throws IOException;

    /**
     * Opens the address probe of link {@code ifname} ({@code dhcp.pingCheck}) whose probes wait
     * {@code timeout} for an answer; this default has none and says so.
     */
    default AddressProbe openProbe(String ifname, java.time.Duration timeout) throws IOException {
      throw new IOException("no address probe is available on " + ifname);
    }
  }

  /**
   * Waits for one datagram, copies it into {@code buf} and fills {@code from}.
   *
   * @return its length (0 for an empty datagram), {@link #TIMEOUT} if nothing arrived within the
   *     poll interval, {@link #CLOSED} once closed
   */
  int receive(byte[] buf, Source from) throws IOException;

  /**
   * Sends {@code len} bytes of {@code data} to {@code ip:port}. With {@code mac} non-null the
   * destination has no address yet: the implementation delivers it by layer-2 unicast to {@code
   * mac}, or by broadcast if it cannot.
   */
  void send(byte[] data, int len, int ip, int port, HwAddr mac) throws IOException;

  /** How full the receive queue is, in per cent of its buffer (0 if unknown); receive thread. */
  default int backlogPercent() {
    return 0;
  }

  /** The link name, for logs. */
  String name();

  @Override
  void close();
}
