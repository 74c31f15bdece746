package ovpnagent.dhcp.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.sys.LibC;
import ovpnagent.sys.Native;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * The real {@link PacketIo}: an all-native UDP socket (platform.md §6.3 way (c)) with SO_BROADCAST,
 * SO_BINDTODEVICE(bridge) set before binding 0.0.0.0:67, so it hears and answers only that link. A
 * reply to a client without an address goes by unicast after installing a neighbour entry yiaddr →
 * chaddr with SIOCSARP (as dnsmasq does, platform.md §6.4), by broadcast if that fails. Datagrams
 * are read with recvmmsg (up to {@link #BATCH} per call) and IP_PKTINFO, so each one says whether
 * it was broadcast or unicast to us (RENEWING and REBINDING differ only in that, RFC 2131 §4.3.2).
 */
public final class UdpPacketIo implements PacketIo {
  private static final Logger log = LoggerFactory.getLogger(UdpPacketIo.class);

  /** SIOCSARP from linux/sockios.h. */
  static final long SIOCSARP = 0x8955;

  /** ARPHRD_ETHER from linux/if_arp.h. */
  static final int ARPHRD_ETHER = 1;

  /** ATF_COM: the entry is complete. */
  static final int ATF_COM = 0x02;

  private static final int RECEIVE_TIMEOUT_MS = 200;

  /** SO_RCVBUFFORCE from asm-generic/socket.h. */
  static final int SO_RCVBUFFORCE = 33;

  private static final int RECEIVE_BUFFER = 4 << 20;

  /** SO_MEMINFO from asm-generic/socket.h: u32[SK_MEMINFO_VARS], [0] rmem_alloc, [1] rcvbuf. */
  static final int SO_MEMINFO = 55;

  /** IPPROTO_IP (SOL_IP) and IP_PKTINFO from linux/in.h. */
  static final int SOL_IP = 0;

  static final int IP_PKTINFO = 8;

  /** The largest datagram read whole; a longer one is truncated to this (and decoded leniently). */
  static final int MAX_DATAGRAM = 4096;

  /*
   * One direct block for recvmmsg (LP64 layouts): first the array of BATCH struct mmsghdr (struct
   * msghdr, 56 bytes, then msg_len and padding: 64 bytes each), then one area per datagram: struct
   * iovec at 0, struct sockaddr_in at 16, the control buffer (one struct cmsghdr + struct
   * in_pktinfo, 28 bytes, aligned to 32) at 32 with room for 64, the datagram at 96.
   */
  private static final int HDR = 64;
  private static final int MSG_LEN = 56;
  private static final int IOV = 0;
  private static final int NAME = 16;
  private static final int CONTROL = 32;
  private static final int CONTROL_LEN = 64;
  private static final int DATA = 96;
  private static final int AREA = DATA + MAX_DATAGRAM;

  /**
   * Datagrams read by one recvmmsg at most: under load one system call brings in a batch (a queue
   * of shed DISCOVERs is read at a fraction of the per-datagram cost), while an idle link still
   * wakes the server for a single datagram (MSG_WAITFORONE).
   */
  static final int BATCH = 16;

  /** MSG_WAITFORONE from linux/socket.h. */
  static final int MSG_WAITFORONE = 0x10000;

  private final LibC libc;
  private final int fd;
  private final String ifname;
  private final byte[] meminfo = new byte[64];
  private final int[] meminfoLen = new int[1];
  private final LongAdder arpFailures = new LongAdder();
  private final Pointer msg;
  private final ReentrantLock receiveLock = new ReentrantLock();

  /** Datagrams in the block from the last recvmmsg, and the index of the next one to hand out. */
  private int batchCount;

  private int batchNext;

  private volatile boolean closed;
  private volatile boolean released;

  private UdpPacketIo(LibC libc, int fd, String ifname) {
    this.libc = libc;
    this.fd = fd;
    this.ifname = ifname;
    this.msg = Memory.allocateDirect(Runtime.getRuntime(libc), (long) (HDR + AREA) * BATCH, true);
    for (int i = 0; i < BATCH; i++) {
      int hdr = i * HDR;
      int area = area(i);
      long base = msg.address();
      msg.putAddress(hdr, base + area + NAME);
      msg.putAddress(hdr + 16, base + area + IOV);
      msg.putLong(hdr + 24, 1);
      msg.putAddress(hdr + 32, base + area + CONTROL);
      msg.putAddress(area + IOV, base + area + DATA);
      msg.putLong(area + IOV + 8, MAX_DATAGRAM);
    }
  }

  /** Offset of datagram {@code i}'s area (iovec, address, control buffer, data) in the block. */
  private static int area(int i) {
    return BATCH * HDR + i * AREA;
  }

  /** A factory binding port 67 on each bridge, with an ICMP {@link IcmpAddressProbe} there. */
  public static PacketIo.Factory factory() {
    return new PacketIo.Factory() {
      @Override
      public PacketIo open(String ifname, int serverAddress) throws IOException {
        return UdpPacketIo.open(ifname, 67);
      }

      @Override
      public AddressProbe openProbe(String ifname, java.time.Duration timeout) throws IOException {
        return IcmpAddressProbe.open(ifname, timeout);
      }
    };
  }

  /**
   * Opens a socket bound to {@code ifname} and {@code 0.0.0.0:port}.
   *
   * @throws IOException naming the failed call (no such device, port in use, no permission)
   */
  public static UdpPacketIo open(String ifname, int port) throws IOException {
    LibC c = Native.libc();
    if (Runtime.getRuntime(c).addressSize() != 8) {
      throw new IOException("the DHCP socket's recvmmsg layout needs a 64-bit (LP64) platform");
    }
    int fd = Native.socket(Native.AF_INET, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0);
    try {
      Native.setIntOption(fd, Native.SOL_SOCKET, Native.SO_BROADCAST, 1);
      Native.setIntOption(fd, SOL_IP, IP_PKTINFO, 1);
      Native.bindToDevice(fd, ifname);
      Native.setReceiveTimeout(fd, RECEIVE_TIMEOUT_MS);
      try {
        // SO_RCVBUFFORCE passes net.core.rmem_max with CAP_NET_ADMIN; ~0.2 s of packets at 20k/s.
        Native.setIntOption(fd, Native.SOL_SOCKET, SO_RCVBUFFORCE, RECEIVE_BUFFER);
      } catch (IOException e) {
        try {
          Native.setIntOption(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, RECEIVE_BUFFER);
        } catch (IOException e2) {
          log.debug("event=dhcp_rcvbuf_not_set error=\"{}\"", e2.getMessage());
        }
      }
      Native.check(c.bind(fd, Native.sockaddrIn(0, port), 16), "bind(0.0.0.0:" + port + ")");
    } catch (IOException e) {
      Native.close(fd);
      throw e;
    }
    log.info("event=dhcp_socket_open interface={} port={}", ifname, port);
    return new UdpPacketIo(c, fd, ifname);
  }

  @Override
  public int receive(byte[] buf, Source from) throws IOException {
    receiveLock.lock();
    try {
      return receiveLocked(buf, from);
    } finally {
      receiveLock.unlock();
    }
  }

  private int receiveLocked(byte[] buf, Source from) throws IOException {
    while (true) {
      if (closed) {
        return CLOSED;
      }
      if (batchNext < batchCount) {
        return deliver(batchNext++, buf, from);
      }
      for (int i = 0; i < BATCH; i++) {
        int hdr = i * HDR;
        msg.putInt(hdr + 8, 16); // msg_namelen
        msg.putLong(hdr + 40, CONTROL_LEN); // msg_controllen
        msg.putInt(hdr + 48, 0); // msg_flags
      }
      int n = libc.recvmmsg(fd, msg, BATCH, MSG_WAITFORONE, null);
      if (n > 0) {
        batchCount = n;
        batchNext = 0;
        continue;
      }
      int e = Native.errno();
      if (n == 0 || e == Native.EAGAIN || e == Native.EINTR) {
        return closed ? CLOSED : TIMEOUT;
      }
      if (closed) {
        return CLOSED;
      }
      Native.check(n, "recvmmsg(" + ifname + ")");
    }
  }

  /** Copies datagram {@code i} of the last batch into {@code buf}; returns its length. */
  private int deliver(int i, byte[] buf, Source from) {
    int hdr = i * HDR;
    int area = area(i);
    long n = msg.getInt(hdr + MSG_LEN) & 0xffffffffL;
    int len = (int) Math.min(n, Math.min(MAX_DATAGRAM, buf.length));
    msg.get(area + DATA, buf, 0, len);
    int port = ((msg.getByte(area + NAME + 2) & 0xff) << 8) | (msg.getByte(area + NAME + 3) & 0xff);
    from.set(be32(area + NAME + 4), port, destination(msg.getLong(hdr + 40), area + CONTROL));
    return len;
  }

  /**
   * The IP_PKTINFO header destination (ipi_addr) in the control buffer at {@code control} holding
   * {@code controlLen} bytes, or 0 if absent.
   */
  private int destination(long controlLen, int control) {
    int off = 0;
    while (off + 16 <= controlLen) {
      long cmsgLen = msg.getLong(control + off);
      if (cmsgLen < 16 || off + cmsgLen > controlLen) {
        return 0;
      }
      if (msg.getInt(control + off + 8) == SOL_IP
          && msg.getInt(control + off + 12) == IP_PKTINFO
          && cmsgLen >= 28) {
        return be32(control + off + 24);
      }
      off += (int) ((cmsgLen + 7) & ~7L);
    }
    return 0;
  }

  /** Four bytes of the block at {@code off} as a big-endian (network order) int. */
  private int be32(int off) {
    return ((msg.getByte(off) & 0xff) << 24)
        | ((msg.getByte(off + 1) & 0xff) << 16)
        | ((msg.getByte(off + 2) & 0xff) << 8)
        | (msg.getByte(off + 3) & 0xff);
  }

  /** Receive-queue fill from SO_MEMINFO (rmem_alloc / rcvbuf); 0 if the call fails. */
  @Override
  public int backlogPercent() {
    if (closed) {
      return 0;
    }
    meminfoLen[0] = meminfo.length;
    if (libc.getsockopt(fd, Native.SOL_SOCKET, SO_MEMINFO, meminfo, meminfoLen) != 0
        || meminfoLen[0] < 8) {
      return 0;
    }
    ByteBuffer b = ByteBuffer.wrap(meminfo).order(ByteOrder.nativeOrder());
    long alloc = Integer.toUnsignedLong(b.getInt(0));
    long rcvbuf = Integer.toUnsignedLong(b.getInt(4));
    return rcvbuf == 0 ? 0 : (int) Math.min(100, alloc * 100 / rcvbuf);
  }

  @Override
  public void send(byte[] data, int len, int ip, int port, HwAddr mac) throws IOException {
    if (released) {
      throw new IOException("socket on " + ifname + " is closed");
    }
    int dst = ip;
    if (mac != null && ip != BROADCAST) {
      try {
        setNeighbour(ip, mac);
      } catch (IOException e) {
        arpFailures.increment();
        if (arpFailures.sum() <= 1) {
          log.warn(
              "event=dhcp_neighbour_failed interface={} ip={} mac={} error=\"{}\""
                  + " fallback=broadcast",
              ifname,
              Ipv4.format(ip),
              mac,
              e.getMessage());
        }
        dst = BROADCAST;
      }
    }
    Native.check(
        libc.sendto(fd, data, len, 0, Native.sockaddrIn(dst, port), 16),
        "sendto(" + Ipv4.format(dst) + ":" + port + ")");
  }

  /** Installs {@code ip → mac} in the bridge's neighbour table (ioctl SIOCSARP, struct arpreq). */
  void setNeighbour(int ip, HwAddr mac) throws IOException {
    Native.check(libc.ioctl(fd, SIOCSARP, arpreq(ip, mac, ifname)), "ioctl(SIOCSARP)");
  }

  /**
   * struct arpreq (68 bytes): arp_pa, arp_ha, arp_flags, arp_netmask, arp_dev[16]; {@code mac} null
   * for a delete (SIOCDARP), which needs only the address and the device.
   */
  static byte[] arpreq(int ip, HwAddr mac, String ifname) {
    ByteBuffer b = ByteBuffer.allocate(68).order(ByteOrder.nativeOrder());
    b.put(0, Native.sockaddrIn(ip, 0));
    b.putShort(16, (short) ARPHRD_ETHER);
    if (mac != null) {
      b.put(18, mac.toBytes());
      b.putInt(32, ATF_COM);
    }
    byte[] dev = ifname.getBytes(StandardCharsets.US_ASCII);
    b.put(52, dev, 0, Math.min(dev.length, 15));
    return b.array();
  }

  /** How many neighbour installs failed (and fell back to broadcast). */
  public long neighbourFailures() {
    return arpFailures.sum();
  }

  @Override
  public String name() {
    return ifname;
  }

  /** Stops receiving and closes the socket once a pending receive has returned (at most 200 ms). */
  @Override
  public void close() {
    closed = true;
    boolean locked = false;
    try {
      locked = receiveLock.tryLock(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (!released) {
        released = true;
        Native.close(fd);
      }
    } finally {
      if (locked) {
        receiveLock.unlock();
      }
    }
  }
}
