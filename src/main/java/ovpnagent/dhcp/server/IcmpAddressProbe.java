package ovpnagent.dhcp.server;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.sys.LibC;
import ovpnagent.sys.Native;
import ovpnagent.util.Ipv4;

/**
 * The address probe on a bridge: one ICMP echo request per probe from a raw ICMP socket bound to
 * the bridge (SO_BINDTODEVICE, so it hears and asks only that link), as dhcpd's and dnsmasq's ping
 * checks do. Before each probe the bridge's neighbour entry for the address is deleted (SIOCDARP),
 * so the echo reaches whoever holds the address now, not the MAC an earlier OFFER installed. A
 * reader thread matches echo replies carrying this probe's random identifier to the waiting probe;
 * a probe nobody answered completes false after the timeout. Only one probe per address is out at a
 * time: a second call while one is out joins it.
 */
public final class IcmpAddressProbe implements AddressProbe {
  private static final Logger log = LoggerFactory.getLogger(IcmpAddressProbe.class);

  /** IPPROTO_ICMP. */
  static final int IPPROTO_ICMP = 1;

  /** SIOCDARP from linux/sockios.h. */
  static final long SIOCDARP = 0x8953;

  private static final int RECEIVE_TIMEOUT_MS = 200;

  private final LibC libc;
  private final int fd;
  private final String ifname;
  private final long timeoutMs;
  private final int id;
  private final AtomicInteger seq = new AtomicInteger();
  private final ConcurrentHashMap<Integer, CompletableFuture<Boolean>> pending =
      new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean closed;

  private IcmpAddressProbe(LibC libc, int fd, String ifname, Duration timeout) {
    this.libc = libc;
    this.fd = fd;
    this.ifname = ifname;
    this.timeoutMs = timeout.toMillis();
    this.id = new SecureRandom().nextInt(0x10000);
    this.reader = new Thread(this::readLoop, "icmp-probe-" + ifname);
    reader.setDaemon(true);
  }

  /**
   * Opens the raw ICMP socket on {@code ifname}; probes wait {@code timeout} for a reply.
   *
   * @throws IOException naming the failed call (no such device, no permission)
   */
  public static IcmpAddressProbe open(String ifname, Duration timeout) throws IOException {
    LibC c = Native.libc();
    int fd = Native.socket(Native.AF_INET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, IPPROTO_ICMP);
    try {
      Native.bindToDevice(fd, ifname);
      Native.setReceiveTimeout(fd, RECEIVE_TIMEOUT_MS);
    } catch (IOException e) {
      Native.close(fd);
      throw e;
    }
    IcmpAddressProbe p = new IcmpAddressProbe(c, fd, ifname, timeout);
    p.reader.start();
    log.info("event=dhcp_probe_open interface={} timeout_ms={}", ifname, timeout.toMillis());
    return p;
  }

  @Override
  public CompletableFuture<Boolean> probe(int ip) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    CompletableFuture<Boolean> out = pending.putIfAbsent(ip, f);
    if (out != null) {
      return out;
    }
    f.whenComplete((v, e) -> pending.remove(ip, f));
    try {
      if (closed) {
        throw new IOException("probe on " + ifname + " is closed");
      }
      // a stale entry would send the echo to the MAC of an earlier OFFER; ENXIO (none) is fine
      libc.ioctl(fd, SIOCDARP, UdpPacketIo.arpreq(ip, null, ifname));
      byte[] echo = IcmpEcho.request(id, seq.incrementAndGet() & 0xffff);
      Native.check(
          libc.sendto(fd, echo, echo.length, 0, Native.sockaddrIn(ip, 0), 16),
          "sendto(icmp " + Ipv4.format(ip) + ")");
    } catch (IOException | RuntimeException e) {
      f.completeExceptionally(e);
      return f;
    }
    f.completeOnTimeout(false, timeoutMs, TimeUnit.MILLISECONDS);
    return f;
  }

  private void readLoop() {
    byte[] buf = new byte[1500];
    byte[] from = new byte[16];
    int[] fromLen = new int[1];
    long errors = 0;
    while (!closed) {
      fromLen[0] = from.length;
      long n = libc.recvfrom(fd, buf, buf.length, 0, from, fromLen);
      if (n < 0) {
        int e = Native.errno();
        if (closed || e == Native.EAGAIN || e == Native.EINTR) {
          continue;
        }
        if (errors++ % 1000 == 0) {
          log.warn("event=dhcp_probe_receive_failed interface={} errno={}", ifname, e);
        }
        continue;
      }
      int src = IcmpEcho.replySource(buf, (int) n, id);
      if (src != 0) {
        CompletableFuture<Boolean> f = pending.get(src);
        if (f != null) {
          f.complete(true);
        }
      }
    }
  }

  /** The identifier of this probe's echo requests (for tests). */
  int id() {
    return id;
  }

  /** Probes out now (for tests). */
  int pending() {
    return pending.size();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      reader.join(2 * RECEIVE_TIMEOUT_MS + 100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Native.close(fd);
    for (CompletableFuture<Boolean> f : pending.values()) {
      f.completeExceptionally(new IOException("probe on " + ifname + " closed"));
    }
  }
}
