package ovpnagent.link;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.util.HwAddr;

/**
 * Which port of a Linux bridge a MAC was learned on, read from the kernel's forwarding database in
 * sysfs ({@code /sys/class/net/BRIDGE/brforward}: an array of {@code struct __fdb_entry} from
 * linux/if_bridge.h, 16 bytes each; ports numbered by {@code brif/PORT/port_no}). The bridge learns
 * a source MAC on ingress, before the frame reaches a local socket, so a DHCP packet's sender is
 * already there when the packet is handled. Reads brforward on each call and checks the remembered
 * port name with one small read (the whole port list only when a port changed): meant for the rare
 * lookups of MACs no router claims, not for every packet.
 */
public final class BridgeFdb {
  private static final Logger log = LoggerFactory.getLogger(BridgeFdb.class);

  /** sizeof(struct __fdb_entry). */
  static final int ENTRY = 16;

  private final Path bridgeDir;
  private final Set<String> lanPorts;
  private volatile Map<Integer, String> ports = Map.of();

  /**
   * A reader for {@code bridge} under {@code sysClassNet} (normally {@code /sys/class/net}).
   *
   * @param lanPorts the ports that are LAN interfaces ({@code bridge.lanInterfaces})
   */
  public BridgeFdb(Path sysClassNet, String bridge, List<String> lanPorts) {
    this.bridgeDir = sysClassNet.resolve(bridge);
    this.lanPorts = Set.copyOf(lanPorts);
  }

  /** The FDB of {@code bridge} in the agent's network namespace. */
  public static BridgeFdb of(String bridge, List<String> lanPorts) {
    return new BridgeFdb(Path.of("/sys/class/net"), bridge, lanPorts);
  }

  /**
   * True if {@code mac} was last seen on one of the LAN ports (a device on the server's own
   * segment, not behind a VPN router); false if it is on another port, unknown, or sysfs cannot be
   * read.
   */
  public boolean onLanPort(HwAddr mac) {
    if (lanPorts.isEmpty()) {
      return false;
    }
    String port = portOf(mac);
    return port != null && lanPorts.contains(port);
  }

  /** The name of the port {@code mac} was learned on, or null. */
  public String portOf(HwAddr mac) {
    try {
      int no = portNumber(readAll(bridgeDir.resolve("brforward")), mac.toBytes());
      if (no < 0) {
        return null;
      }
      String cached = ports.get(no);
      if (cached != null && no == portNo(bridgeDir.resolve("brif").resolve(cached))) {
        return cached; // still that port: one small read instead of the whole directory
      }
      Map<Integer, String> names = portNames(); // a port added, removed or renumbered
      ports = names;
      return names.get(no);
    } catch (NoSuchFileException | FileNotFoundException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      log.debug("event=bridge_fdb_unreadable dir={} error=\"{}\"", bridgeDir, e.toString());
      return null;
    }
  }

  /**
   * Reads a sysfs binary attribute to its end. (Files.readAllBytes trusts the reported size, 4096
   * or 0 for brforward, and returns nothing; a plain read loop gets every entry.)
   */
  static byte[] readAll(Path p) throws IOException {
    try (InputStream in = new FileInputStream(p.toFile())) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** The port number of a non-local entry for {@code mac} in a brforward dump, or -1. */
  static int portNumber(byte[] fdb, byte[] mac) {
    for (int off = 0; off + ENTRY <= fdb.length; off += ENTRY) {
      boolean match = true;
      for (int i = 0; i < 6 && match; i++) {
        match = fdb[off + i] == mac[i];
      }
      if (match && fdb[off + 7] == 0) {
        return ((fdb[off + 12] & 0xff) << 8) | (fdb[off + 6] & 0xff);
      }
    }
    return -1;
  }

  /** The number in {@code PORT/port_no} ("0x1"), or -1 if the port is gone. */
  private static int portNo(Path port) throws IOException {
    String v;
    try {
      v = Files.readString(port.resolve("port_no")).trim();
    } catch (NoSuchFileException e) {
      return -1;
    }
    return v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
  }

  /** Port number to interface name, from {@code brif/NAME/port_no} ("0x1"). */
  private Map<Integer, String> portNames() throws IOException {
    Map<Integer, String> names = new HashMap<>();
    try (DirectoryStream<Path> ports = Files.newDirectoryStream(bridgeDir.resolve("brif"))) {
      for (Path p : ports) {
        int no = portNo(p);
        if (no >= 0) {
          names.put(no, p.getFileName().toString());
        }
      }
    }
    return names;
  }
}
