package ovpnagent.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import ovpnagent.dhcp.codec.option.ClasslessRoutes;
import ovpnagent.dhcp.codec.option.RelayAgentInfo;

/**
 * A bounded fuzz loop (fixed seed): random, truncated and bit-flipped packets never make the
 * decoder throw anything but {@link MalformedPacketException} (nor the type peek anything at all),
 * whatever decodes re-encodes and decodes again to the same options and header, and a peeked type
 * never contradicts the decoded one.
 */
class DhcpCodecFuzzTest {
  private static final int ITERATIONS = 200_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Test
  void arbitraryInputOnlyEverThrowsMalformedPacketException() {
    List<byte[]> seeds = new ArrayList<>();
    for (CaptureFixtures.Exchange e : CaptureFixtures.all()) {
      for (CaptureFixtures.Packet p : e.packets()) {
        seeds.add(p.bytes());
      }
    }
    assertTrue(seeds.size() >= 10, "captures as seeds");
    int[] counts = new int[2];
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          long cpu0 = THREADS.getCurrentThreadCpuTime();
          Random rnd = new Random(0xC0DEC);
          for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(rnd, seeds.get(rnd.nextInt(seeds.size())), i % 4);
            MessageType peeked = null;
            try {
              peeked = DhcpCodec.peekMessageType(input, 0, input.length);
              DhcpPacket p = DhcpCodec.decode(input);
              counts[0]++;
              if (peeked != null && p.messageType() != null) {
                assertEquals(p.messageType(), peeked, "peek vs decode, iteration " + i);
              }
              checkReencodes(p, input, i);
              if (i % 8 == 0) {
                readEverything(p);
              }
            } catch (MalformedPacketException e) {
              counts[1]++;
              assertTrue(e.getMessage().contains("offset"), e.getMessage());
            } catch (RuntimeException e) {
              fail(
                  "iteration " + i + " threw " + e + " for input " + ByteString.of(input).toHex(),
                  e);
            }
          }
          // CPU time, not wall time: the bound holds on a loaded CI machine too.
          long cpuMillis = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
          System.out.println("fuzz: " + ITERATIONS + " iterations in " + cpuMillis + " ms CPU");
          assertTrue(cpuMillis < 5_000, ITERATIONS + " iterations took " + cpuMillis + " ms CPU");
        });
    assertEquals(ITERATIONS, counts[0] + counts[1]);
    assertTrue(counts[0] > ITERATIONS / 4, "decoded " + counts[0]);
    assertTrue(counts[1] > ITERATIONS / 10, "rejected " + counts[1]);
  }

  /** 0: random bytes; 1: truncated seed; 2: bit flips in the seed; 3: random option soup. */
  private static byte[] mutate(Random rnd, byte[] seed, int kind) {
    switch (kind) {
      case 0:
        {
          byte[] b = new byte[rnd.nextInt(700)];
          rnd.nextBytes(b);
          if (b.length >= 240 && rnd.nextBoolean()) {
            DhcpCodec.putInt(b, 236, DhcpCodec.MAGIC_COOKIE);
          }
          return b;
        }
      case 1:
        return Arrays.copyOf(seed, rnd.nextInt(seed.length + 1));
      case 2:
        {
          byte[] b = seed.clone();
          int flips = 1 + rnd.nextInt(8);
          for (int f = 0; f < flips; f++) {
            int at = rnd.nextInt(b.length);
            b[at] ^= (byte) (1 << rnd.nextInt(8));
          }
          return b;
        }
      default:
        {
          byte[] b = Arrays.copyOf(seed, 243 + rnd.nextInt(400));
          for (int i = 240; i < b.length; i++) {
            b[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(64));
          }
          b[10] = 0;
          if (rnd.nextBoolean()) { // overload: let file and sname be parsed as options too
            b[240] = 52;
            b[241] = 1;
            b[242] = (byte) rnd.nextInt(5);
            for (int i = 44; i < 236; i++) {
              b[i] = (byte) rnd.nextInt(64);
            }
          }
          return b;
        }
    }
  }

  /** The accessors the server calls never throw on a decoded packet either. */
  private static void readEverything(DhcpPacket p) {
    p.toString();
    p.mac();
    p.messageType();
    DhcpOptions o = p.options();
    o.parameterRequestList();
    o.clientId();
    o.maxMessageSize();
    o.requestedIp();
    o.serverId();
    o.string(OptionCode.HOST_NAME);
    o.ipv4List(OptionCode.ROUTER);
    RelayAgentInfo.parse(o.relayAgentInfo());
    ClasslessRoutes.decode(o.get(OptionCode.CLASSLESS_ROUTES));
    DhcpCodec.maxReplyLength(p);
  }

  /** Same codes and bodies; the order may differ because the encoder moves option 82 last. */
  private static boolean sameOptions(DhcpOptions a, DhcpOptions b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int c : a.codes()) {
      if (!a.bytes(c).equals(b.bytes(c))) {
        return false;
      }
    }
    return true;
  }

  private static void checkReencodes(DhcpPacket p, byte[] input, int i)
      throws MalformedPacketException {
    // Decoded options came from at most input.length bytes, so a limit that large always fits.
    byte[] again = DhcpCodec.encode(p, input.length + 300);
    DhcpPacket q = DhcpCodec.decode(again);
    if (!sameOptions(p.options(), q.options())
        || q.xid() != p.xid()
        || !q.chaddr().equals(p.chaddr())
        || !q.sname().equals(p.sname())
        || !q.file().equals(p.file())) {
      fail("iteration " + i + ": re-encode changed the packet " + p + " -> " + q);
    }
  }
}
