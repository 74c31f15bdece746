package ovpnagent.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.link.netlink.AddrMessage;
import ovpnagent.link.netlink.LinkMessage;
import ovpnagent.link.netlink.NetlinkException;
import ovpnagent.link.netlink.NetlinkSocket;
import ovpnagent.link.netlink.NlMessage;
import ovpnagent.link.netlink.Rtnl;
import ovpnagent.link.netlink.RtnlRequests;
import ovpnagent.link.netlink.TunTap;
import ovpnagent.util.Cidr;
import ovpnagent.util.HwAddr;

/**
 * {@link LinkManager} over one rtnetlink request socket. The socket, TAP creation and the proxy ARP
 * sysctl act in the network namespace of the thread that called {@link #open()}.
 */
public final class NetlinkLinkManager implements LinkManager {
  private static final Logger LOG = LoggerFactory.getLogger(NetlinkLinkManager.class);
  private static final int TIMEOUT_MS = 5000;
  private final NetlinkSocket nl;
  private final Path procConf;

  NetlinkLinkManager(NetlinkSocket nl, Path procConf) {
    this.nl = nl;
    this.procConf = procConf;
  }

  /** Opens the request socket in the calling thread's network namespace. */
  public static NetlinkLinkManager open() throws IOException {
    return new NetlinkLinkManager(
        NetlinkSocket.open(0, TIMEOUT_MS), Path.of("/proc/sys/net/ipv4/conf"));
  }

  @Override
  public Optional<LinkInfo> link(String name) throws IOException {
    try {
      List<NlMessage> r = nl.request(RtnlRequests.getLink(name), "get link " + name);
      return r.isEmpty() ? Optional.empty() : Optional.of(LinkInfo.of(LinkMessage.parse(r.get(0))));
    } catch (NetlinkException e) {
      if (e.errno() == Rtnl.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<LinkInfo> links() throws IOException {
    List<LinkInfo> out = new ArrayList<>();
    for (NlMessage m : nl.request(RtnlRequests.dumpLinks(), "dump links")) {
      if (m.type() == Rtnl.RTM_NEWLINK) {
        out.add(LinkInfo.of(LinkMessage.parse(m)));
      }
    }
    return out;
  }

  @Override
  public List<Cidr> addresses(String dev) throws IOException {
    int index = require(dev).index();
    List<Cidr> out = new ArrayList<>();
    for (NlMessage m : nl.request(RtnlRequests.dumpIpv4Addresses(), "dump addresses")) {
      if (m.type() == Rtnl.RTM_NEWADDR) {
        AddrMessage a = AddrMessage.parse(m);
        if (a.index() == index && a.family() == Rtnl.AF_INET) {
          out.add(new Cidr(a.local(), a.prefixLen()));
        }
      }
    }
    return out;
  }

  @Override
  public boolean ensureBridge(String name) throws IOException {
    Optional<LinkInfo> l = link(name);
    if (l.isPresent()) {
      if (!l.get().isBridge()) {
        throw wrongKind(l.get(), "bridge");
      }
      return false;
    }
    nl.request(RtnlRequests.newBridge(name), "create bridge " + name);
    LOG.info("event=link_created kind=bridge name={}", name);
    return true;
  }

  @Override
  public boolean ensureTap(String name) throws IOException {
    Optional<LinkInfo> l = link(name);
    if (l.isPresent()) {
      if (!l.get().tap()) {
        throw wrongKind(l.get(), "tap");
      }
      return false;
    }
    TunTap.createPersistentTap(name);
    LOG.info("event=link_created kind=tap name={} persist=on", name);
    return true;
  }

  @Override
  public boolean setMaster(String dev, String bridge) throws IOException {
    LinkInfo d = require(dev);
    LinkInfo b = require(bridge);
    if (!b.isBridge()) {
      throw wrongKind(b, "bridge");
    }
    if (d.master() == b.index()) {
      return false;
    }
    nl.request(RtnlRequests.setMaster(d.index(), b.index()), "set " + dev + " master " + bridge);
    LOG.info("event=link_enslaved dev={} master={}", dev, bridge);
    return true;
  }

  @Override
  public boolean setUp(String dev) throws IOException {
    LinkInfo d = require(dev);
    if (d.isUp()) {
      return false;
    }
    nl.request(RtnlRequests.setUp(d.index()), "set " + dev + " up");
    LOG.info("event=link_up dev={}", dev);
    return true;
  }

  @Override
  public boolean ensureAddress(String dev, Cidr address) throws IOException {
    if (addresses(dev).contains(address)) {
      return false;
    }
    int index = require(dev).index();
    nl.request(RtnlRequests.newAddress(index, address), "add address " + address + " to " + dev);
    LOG.info("event=address_added dev={} address={}", dev, address);
    return true;
  }

  @Override
  public boolean setProxyArp(String dev, boolean enabled) throws IOException {
    Path p = procConf.resolve(RtnlRequests.checkName(dev)).resolve("proxy_arp");
    String want = enabled ? "1" : "0";
    if (Files.readString(p, StandardCharsets.US_ASCII).trim().equals(want)) {
      return false;
    }
    Files.writeString(p, want + "\n", StandardCharsets.US_ASCII);
    LOG.info("event=proxy_arp_set dev={} value={}", dev, want);
    return true;
  }

  @Override
  public void replaceNeighbour(String dev, int ipv4, HwAddr mac) throws IOException {
    int index = require(dev).index();
    nl.request(
        RtnlRequests.replaceNeighbour(index, ipv4, mac), "replace neighbour " + mac + " on " + dev);
  }

  @Override
  public void ensureRoute(String dev, Cidr net) throws IOException {
    int index = require(dev).index();
    Cidr n = new Cidr(net.network(), net.prefix());
    nl.request(RtnlRequests.replaceRoute(index, n), "replace route " + n + " dev " + dev);
    LOG.info("event=route_replaced dev={} net={}", dev, n);
  }

  @Override
  public boolean deleteLink(String name) throws IOException {
    Optional<LinkInfo> l = link(name);
    if (l.isEmpty()) {
      return false;
    }
    nl.request(RtnlRequests.deleteLink(l.get().index()), "delete link " + name);
    return true;
  }

  @Override
  public void close() {
    nl.close();
  }

  private LinkInfo require(String name) throws IOException {
    return link(name).orElseThrow(() -> new IOException("no such link: " + name));
  }

  private static IOException wrongKind(LinkInfo l, String expected) {
    return new IOException(
        "link "
            + l.name()
            + " exists but is a "
            + l.describeKind()
            + ", not a "
            + expected
            + "; remove or rename it");
  }
}
