package ovpnagent.link;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;
import ovpnagent.util.Ipv4;

/**
 * An in-memory {@link LinkManager} for tests of other packages: keeps a model of links and records
 * every state change as the iproute2 command it stands for ({@link #commands()}).
 */
public final class RecordingLinkManager implements LinkManager {
  private final Map<String, Fake> links = new LinkedHashMap<>();
  private final List<String> commands = new ArrayList<>();
  private final Map<Integer, HwAddr> neighbours = new LinkedHashMap<>();
  private int nextIndex = 1;
  private boolean closed;

  private static final class Fake {
    final int index;
    final String kind;
    final boolean tap;
    boolean up;
    int master;
    boolean proxyArp;
    final List<Cidr> addresses = new ArrayList<>();

    Fake(int index, String kind, boolean tap) {
      this.index = index;
      this.kind = kind;
      this.tap = tap;
    }
  }

  /** Adds a link without recording a command (a pre-existing state); kind "" for a physical one. */
  public synchronized RecordingLinkManager withLink(String name, String kind) {
    links.put(name, new Fake(nextIndex++, kind.equals("tap") ? "tun" : kind, kind.equals("tap")));
    return this;
  }

  /** Pre-existing enslavement, not recorded. */
  public synchronized RecordingLinkManager withMaster(String dev, String bridge) {
    links.get(dev).master = links.get(bridge).index;
    return this;
  }

  /** Pre-existing up state, not recorded. */
  public synchronized RecordingLinkManager withUp(String dev) {
    links.get(dev).up = true;
    return this;
  }

  /** Simulates OpenVPN re-creating a TAP: new index, not enslaved, down. */
  public synchronized LinkInfo recreate(String name) {
    links.remove(name);
    withLink(name, "tap");
    return info(name, links.get(name));
  }

  /** The recorded commands, in order. */
  public synchronized List<String> commands() {
    return List.copyOf(commands);
  }

  /** Neighbour entries installed (IPv4 as int → MAC). */
  public synchronized Map<Integer, HwAddr> neighbours() {
    return Map.copyOf(neighbours);
  }

  /** True once closed. */
  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized Optional<LinkInfo> link(String name) {
    Fake f = links.get(name);
    return f == null ? Optional.empty() : Optional.of(info(name, f));
  }

  @Override
  public synchronized List<LinkInfo> links() {
    List<LinkInfo> out = new ArrayList<>();
    links.forEach((n, f) -> out.add(info(n, f)));
    return out;
  }

  @Override
  public synchronized List<Cidr> addresses(String dev) throws IOException {
    return List.copyOf(require(dev).addresses);
  }

  @Override
  public synchronized boolean ensureBridge(String name) throws IOException {
    Fake f = links.get(name);
    if (f != null) {
      if (!f.kind.equals("bridge")) {
        throw new IOException("link " + name + " exists but is not a bridge");
      }
      return false;
    }
    links.put(name, new Fake(nextIndex++, "bridge", false));
    return record("ip link add " + name + " type bridge");
  }

  @Override
  public synchronized boolean ensureTap(String name) throws IOException {
    Fake f = links.get(name);
    if (f != null) {
      if (!f.tap) {
        throw new IOException("link " + name + " exists but is not a tap");
      }
      return false;
    }
    links.put(name, new Fake(nextIndex++, "tun", true));
    return record("ip tuntap add dev " + name + " mode tap");
  }

  @Override
  public synchronized boolean setMaster(String dev, String bridge) throws IOException {
    Fake d = require(dev);
    Fake b = require(bridge);
    if (!b.kind.equals("bridge")) {
      throw new IOException("link " + bridge + " is not a bridge");
    }
    if (d.master == b.index) {
      return false;
    }
    d.master = b.index;
    return record("ip link set dev " + dev + " master " + bridge);
  }

  @Override
  public synchronized boolean setUp(String dev) throws IOException {
    Fake d = require(dev);
    if (d.up) {
      return false;
    }
    d.up = true;
    return record("ip link set dev " + dev + " up");
  }

  @Override
  public synchronized boolean ensureAddress(String dev, Cidr address) throws IOException {
    Fake d = require(dev);
    if (d.addresses.contains(address)) {
      return false;
    }
    d.addresses.add(address);
    return record("ip addr add " + address + " dev " + dev);
  }

  @Override
  public synchronized boolean setProxyArp(String dev, boolean enabled) throws IOException {
    Fake d = require(dev);
    if (d.proxyArp == enabled) {
      return false;
    }
    d.proxyArp = enabled;
    return record("sysctl net.ipv4.conf." + dev + ".proxy_arp=" + (enabled ? 1 : 0));
  }

  @Override
  public synchronized void replaceNeighbour(String dev, int ipv4, HwAddr mac) throws IOException {
    require(dev);
    neighbours.put(ipv4, mac);
    record("ip neigh replace " + Ipv4.format(ipv4) + " lladdr " + mac + " dev " + dev);
  }

  @Override
  public synchronized void ensureRoute(String dev, Cidr net) throws IOException {
    require(dev);
    record("ip route replace " + net + " dev " + dev);
  }

  @Override
  public synchronized boolean deleteLink(String name) {
    if (links.remove(name) == null) {
      return false;
    }
    return record("ip link del dev " + name);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private Fake require(String name) throws IOException {
    Fake f = links.get(name);
    if (f == null) {
      throw new IOException("no such link: " + name);
    }
    return f;
  }

  private boolean record(String command) {
    commands.add(command);
    return true;
  }

  private static LinkInfo info(String name, Fake f) {
    return new LinkInfo(f.index, name, f.kind, f.tap, f.up ? 1 : 0, f.master, 1500, null);
  }
}
