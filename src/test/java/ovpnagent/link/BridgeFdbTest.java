package ovpnagent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovpnagent.util.HwAddr;

/** The brforward layout (struct __fdb_entry) and port names, on a sysfs tree written here. */
class BridgeFdbTest {
  @TempDir Path sys;

  private static byte[] entry(String mac, int port, boolean local) {
    ByteBuffer b = ByteBuffer.allocate(BridgeFdb.ENTRY).order(ByteOrder.nativeOrder());
    b.put(HwAddr.parse(mac).toBytes());
    b.put((byte) (port & 0xff));
    b.put((byte) (local ? 1 : 0));
    b.putInt(1234); // ageing timer
    b.put((byte) (port >> 8));
    return b.array();
  }

  private void port(String name, String portNo) throws Exception {
    Path p = sys.resolve("br0/brif/" + name);
    Files.createDirectories(p);
    Files.writeString(p.resolve("port_no"), portNo + "\n");
  }

  @Test
  void findsThePortAMacWasLearnedOn() throws Exception {
    port("tap0", "0x1");
    port("lan0", "0x2");
    port("lan9", "0x101");
    Files.write(
        sys.resolve("br0/brforward"),
        concat(
            entry("02:00:00:00:00:01", 1, false),
            entry("02:00:00:00:00:02", 2, false),
            entry("02:00:00:00:00:03", 2, true), // the port's own address: skipped
            entry("02:00:00:00:00:04", 0x101, false)));
    BridgeFdb fdb = new BridgeFdb(sys, "br0", List.of("lan0", "lan9"));
    assertEquals("tap0", fdb.portOf(HwAddr.parse("02:00:00:00:00:01")));
    assertFalse(fdb.onLanPort(HwAddr.parse("02:00:00:00:00:01")), "behind the TAP: a router's");
    assertTrue(fdb.onLanPort(HwAddr.parse("02:00:00:00:00:02")));
    assertNull(fdb.portOf(HwAddr.parse("02:00:00:00:00:03")));
    assertEquals("lan9", fdb.portOf(HwAddr.parse("02:00:00:00:00:04")), "port_hi counts");
    assertFalse(fdb.onLanPort(HwAddr.parse("02:00:00:00:00:99")), "unknown MAC");
  }

  @Test
  void aPortNumberReusedByAnotherInterfaceIsSeen() throws Exception {
    port("lan0", "0x2");
    Files.write(sys.resolve("br0/brforward"), entry("02:00:00:00:00:02", 2, false));
    BridgeFdb fdb = new BridgeFdb(sys, "br0", List.of("lan0"));
    assertTrue(fdb.onLanPort(HwAddr.parse("02:00:00:00:00:02")));
    // lan0 leaves the bridge and a TAP gets its port number: the MAC is no longer on a LAN port
    Files.delete(sys.resolve("br0/brif/lan0/port_no"));
    Files.delete(sys.resolve("br0/brif/lan0"));
    port("tap1", "0x2");
    assertEquals("tap1", fdb.portOf(HwAddr.parse("02:00:00:00:00:02")));
    assertFalse(fdb.onLanPort(HwAddr.parse("02:00:00:00:00:02")));
  }

  @Test
  void noLanPortsOrNoBridgeMeansNotLocal() {
    assertFalse(new BridgeFdb(sys, "br0", List.of()).onLanPort(HwAddr.parse("02:00:00:00:00:02")));
    assertFalse(
        new BridgeFdb(sys, "nobridge", List.of("lan0"))
            .onLanPort(HwAddr.parse("02:00:00:00:00:02")));
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer b = ByteBuffer.allocate(parts.length * BridgeFdb.ENTRY);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
