package ovpnagent.dhcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovpnagent.testing.Netns.bridgeAndOtherLink;
import static ovpnagent.testing.Netns.on;
import static ovpnagent.testing.Netns.shQuiet;
import static ovpnagent.testing.Netns.threadIn;
import static ovpnagent.testing.Netns.udhcpcOnce;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ovpnagent.config.BridgeConfig;
import ovpnagent.config.DhcpConfig;
import ovpnagent.dhcp.codec.DhcpCodec;
import ovpnagent.dhcp.codec.DhcpOptions;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.metrics.Metrics;
import ovpnagent.sys.Native;
import ovpnagent.testing.TestDhcpConfigs;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * The real socket in throwaway namespaces: server-t1 holds bridge srv-br0 (198.18.10.1/24, port
 * srv-a0) and a non-bridge interface srv-b0 (198.18.11.1/24); their veth peers srv-a1/srv-b1 sit in
 * server-t2, where the test client runs. Proves SO_BINDTODEVICE (a DISCOVER on srv-b0 is never
 * heard, one on the bridge is answered), the neighbour-entry unicast to an unaddressed client, the
 * destination of each datagram (IP_PKTINFO) and batched reads (recvmmsg).
 */
class UdpPacketIoRootIT {
  private static final String NS_SERVER = "server-t1";
  private static final String NS_CLIENT = "server-t2";

  @Test
  void answersOnlyOnTheBridgeAndUnicastsToAnUnaddressedClient() throws Exception {
    // Never skipped: CI runs as root, and a non-root run must fail loudly, not pass silently.
    assertTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
    ExecutorService server = null;
    ExecutorService client = null;
    DhcpService service = null;
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      bridgeAndOtherLink(
          NS_SERVER,
          NS_CLIENT,
          "srv-",
          "198.18.10.1/24",
          "198.18.11.1/24",
          "198.18.10.50/24",
          "198.18.11.50/24");

      server = threadIn(NS_SERVER);
      client = threadIn(NS_CLIENT);
      UdpPacketIo io = on(server, () -> UdpPacketIo.open("srv-br0", 67));
      DhcpConfig cfg =
          TestDhcpConfigs.pool(
              "198.18.10.100", "198.18.10.199", "198.18.10.1", Duration.ZERO, Duration.ZERO);
      Metrics metrics = new Metrics();
      service =
          new DhcpService(
              cfg,
              new BridgeConfig("srv-br0", Cidr.parse("198.18.10.1/24"), List.of(), false),
              new FakeLeaseStore(),
              metrics,
              (n, a) -> io,
              java.time.Clock.systemUTC(),
              scheduler);
      service.start();

      HwAddr macA = HwAddr.parse(readFile(NS_CLIENT, "srv-a1"));
      // 1. On the bridge: a broadcast DISCOVER is answered.
      DhcpPacket offer = on(client, () -> exchange("srv-a1", macA, true, 3000));
      assertNotNull(offer, "no OFFER on the bridge");
      assertEquals(MessageType.OFFER, offer.messageType());
      int x = offer.yiaddr();
      assertTrue(Ipv4.compare(x, Ipv4.parse("198.18.10.100")) >= 0);

      // 2. On another interface of the same namespace: never heard.
      long before = service.metrics().receivedTotal();
      HwAddr macB = HwAddr.parse(readFile(NS_CLIENT, "srv-b1"));
      DhcpPacket none = on(client, () -> exchange("srv-b1", macB, true, 1500));
      assertEquals(null, none, "answered a DISCOVER from a non-bridge interface");
      assertEquals(before, service.metrics().receivedTotal());

      // 3. Broadcast flag clear: unicast to yiaddr at chaddr via a neighbour entry (tcpdump proves
      // the frame left for x, which nobody on the wire holds, so only our entry could resolve it).
      Process dump =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  NS_CLIENT,
                  "timeout",
                  "10",
                  "tcpdump",
                  "-l",
                  "-nn",
                  "-i",
                  "srv-a1",
                  "-c",
                  "1",
                  "udp and dst port 68 and dst host " + Ipv4.format(x))
              .start();
      BufferedReader err =
          new BufferedReader(new InputStreamReader(dump.getErrorStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = err.readLine()) != null && !line.contains("listening on")) {
        // wait until tcpdump is ready
      }
      on(client, () -> exchange("srv-a1", macA, false, 1500));
      BufferedReader out =
          new BufferedReader(new InputStreamReader(dump.getInputStream(), StandardCharsets.UTF_8));
      String seen = out.readLine();
      dump.waitFor(10, TimeUnit.SECONDS);
      assertNotNull(seen, "no unicast reply to " + Ipv4.format(x) + " on the wire");
      assertTrue(seen.contains("198.18.10.1.67 > " + Ipv4.format(x) + ".68"), seen);
      assertEquals(0, io.neighbourFailures());
      Process neigh =
          new ProcessBuilder("ip", "-n", NS_SERVER, "neigh", "show", "dev", "srv-br0").start();
      String table = new String(neigh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(table.contains(Ipv4.format(x) + " lladdr " + macA), table);

      // 4. A real client (busybox udhcpc, raw sockets, broadcast flag clear) gets its lease.
      String log = udhcpcOnce(NS_CLIENT, "srv-a1");
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("lease of (\\S+) obtained from 198\\.18\\.10\\.1")
              .matcher(log);
      assertTrue(m.find(), log);
      int leased = Ipv4.parse(m.group(1));
      // udhcpc sends option 61 (01 + MAC), so it is a different client from the raw DISCOVERs.
      ovpnagent.store.Lease bound =
          service.leases().stream().filter(l -> l.ip() == leased).findFirst().orElseThrow();
      assertEquals(ovpnagent.store.LeaseState.BOUND, bound.state());
      assertEquals("id:01" + macA.toString().replace(":", ""), bound.clientKey());

      // 5. RENEWING and REBINDING differ only in how they come (IP_PKTINFO): a REQUEST with only
      // ciaddr unicast to the bridge address is RENEWING, the same REQUEST broadcast REBINDING.
      int ciaddr = Ipv4.parse("198.18.10.50");
      on(client, () -> sendRequest("srv-a1", macA, ciaddr, Ipv4.parse("198.18.10.1")));
      awaitCount(metrics, "dhcp4.request.renewing", 1);
      on(client, () -> sendRequest("srv-a1", macA, ciaddr, PacketIo.BROADCAST));
      awaitCount(metrics, "dhcp4.request.rebinding", 1);
      assertEquals(1, metrics.get("dhcp4.request.renewing"));

      // 6. A burst larger than one recvmmsg batch, queued before anything reads it, comes out
      // whole and in order, each datagram with its own length, source and destination.
      UdpPacketIo side = on(server, () -> UdpPacketIo.open("srv-br0", 6767));
      try {
        int burst = UdpPacketIo.BATCH * 2 + 5;
        on(client, () -> sendBurst("srv-a1", Ipv4.parse("198.18.10.50"), 1068, burst));
        byte[] buf = new byte[UdpPacketIo.MAX_DATAGRAM];
        PacketIo.Source src = new PacketIo.Source();
        for (int i = 0; i < burst; i++) {
          long deadline = System.nanoTime() + 5_000_000_000L;
          int n;
          do {
            n = side.receive(buf, src);
          } while (n == PacketIo.TIMEOUT && System.nanoTime() < deadline);
          assertEquals(100 + i, n, "length of datagram " + i);
          assertEquals(i, buf[0], "payload of datagram " + i);
          assertEquals(Ipv4.parse("198.18.10.50"), src.ip, "source of datagram " + i);
          assertEquals(1068, src.port, "source port of datagram " + i);
          assertEquals(
              i % 2 == 0 ? Ipv4.parse("198.18.10.1") : PacketIo.BROADCAST,
              src.dst,
              "destination of datagram " + i);
        }
      } finally {
        side.close();
      }
    } finally {
      if (service != null) {
        service.close();
      }
      scheduler.shutdownNow();
      if (server != null) {
        server.shutdownNow();
      }
      if (client != null) {
        client.shutdownNow();
      }
      shQuiet("ip", "netns", "del", NS_SERVER);
      shQuiet("ip", "netns", "del", NS_CLIENT);
    }
  }

  private static String readFile(String ns, String dev) throws Exception {
    Process p =
        new ProcessBuilder("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + dev + "/address")
            .start();
    String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return s;
  }

  private static void awaitCount(Metrics m, String name, long want) throws InterruptedException {
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (m.get(name) < want && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(want, m.get(name), name);
  }

  /**
   * Sends {@code count} datagrams from {@code ip:port} to port 6767: datagram i is 100 + i bytes
   * long, starts with i, and goes by unicast to 198.18.10.1 when i is even, by broadcast when odd.
   */
  private static Void sendBurst(String dev, int ip, int port, int count) throws Exception {
    int fd = Native.socket(Native.AF_INET, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0);
    try {
      Native.setIntOption(fd, Native.SOL_SOCKET, Native.SO_BROADCAST, 1);
      Native.bindToDevice(fd, dev);
      Native.check(Native.libc().bind(fd, Native.sockaddrIn(ip, port), 16), "bind");
      for (int i = 0; i < count; i++) {
        byte[] b = new byte[100 + i];
        b[0] = (byte) i;
        int dst = i % 2 == 0 ? Ipv4.parse("198.18.10.1") : PacketIo.BROADCAST;
        Native.check(
            Native.libc().sendto(fd, b, b.length, 0, Native.sockaddrIn(dst, 6767), 16), "sendto");
      }
      return null;
    } finally {
      Native.close(fd);
    }
  }

  /** Sends a REQUEST carrying only ciaddr (RENEWING/REBINDING) from {@code ciaddr}:68 to dst:67. */
  private static Void sendRequest(String dev, HwAddr mac, int ciaddr, int dst) throws Exception {
    int fd = Native.socket(Native.AF_INET, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0);
    try {
      Native.setIntOption(fd, Native.SOL_SOCKET, Native.SO_BROADCAST, 1);
      Native.setIntOption(fd, Native.SOL_SOCKET, Native.SO_REUSEADDR, 1);
      Native.bindToDevice(fd, dev);
      Native.check(Native.libc().bind(fd, Native.sockaddrIn(ciaddr, 68), 16), "bind ciaddr:68");
      DhcpPacket r =
          DhcpPacket.builder()
              .op(DhcpPacket.BOOTREQUEST)
              .mac(mac)
              .xid((int) System.nanoTime())
              .ciaddr(ciaddr)
              .options(DhcpOptions.builder().messageType(MessageType.REQUEST).build())
              .build();
      byte[] b = DhcpCodec.encode(r, 548);
      Native.check(
          Native.libc().sendto(fd, b, b.length, 0, Native.sockaddrIn(dst, 67), 16), "sendto");
      return null;
    } finally {
      Native.close(fd);
    }
  }

  /** Sends a DISCOVER from port 68 on {@code dev}; returns the reply or null after {@code ms}. */
  private static DhcpPacket exchange(String dev, HwAddr mac, boolean broadcast, int ms)
      throws Exception {
    int fd = Native.socket(Native.AF_INET, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0);
    try {
      Native.setIntOption(fd, Native.SOL_SOCKET, Native.SO_BROADCAST, 1);
      Native.setIntOption(fd, Native.SOL_SOCKET, Native.SO_REUSEADDR, 1);
      Native.bindToDevice(fd, dev);
      byte[] tv =
          ByteBuffer.allocate(16)
              .order(ByteOrder.nativeOrder())
              .putLong(0)
              .putLong(100_000)
              .array();
      Native.check(Native.libc().setsockopt(fd, 1, Native.SO_RCVTIMEO, tv, 16), "rcvtimeo");
      Native.check(Native.libc().bind(fd, Native.sockaddrIn(0, 68), 16), "bind 68");
      int xid = (int) System.nanoTime();
      DhcpPacket d =
          DhcpPacket.builder()
              .op(DhcpPacket.BOOTREQUEST)
              .mac(mac)
              .xid(xid)
              .flags(broadcast ? DhcpPacket.FLAG_BROADCAST : 0)
              .options(DhcpOptions.builder().messageType(MessageType.DISCOVER).build())
              .build();
      byte[] b = DhcpCodec.encode(d, 548);
      Native.check(
          Native.libc().sendto(fd, b, b.length, 0, Native.sockaddrIn(PacketIo.BROADCAST, 67), 16),
          "sendto");
      byte[] buf = new byte[1500];
      long deadline = System.nanoTime() + ms * 1_000_000L;
      while (System.nanoTime() < deadline) {
        long n = Native.libc().recv(fd, buf, buf.length, 0);
        if (n > 0) {
          DhcpPacket r = DhcpCodec.decode(buf, 0, (int) n);
          if (r.xid() == xid && r.op() == DhcpPacket.BOOTREPLY) {
            return r;
          }
        }
      }
      return null;
    } finally {
      Native.close(fd);
    }
  }
}
