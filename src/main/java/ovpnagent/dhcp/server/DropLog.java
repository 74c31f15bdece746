package ovpnagent.dhcp.server;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.util.Ipv4;

/**
 * The one path for a dropped packet: count it under its {@link DropReason} and log one line. The
 * first drop per (reason, MAC) is logged at INFO, repeats at DEBUG, so a flood cannot flood the
 * log.
 */
final class DropLog {
  private static final Logger log = LoggerFactory.getLogger("ovpnagent.dhcp.drop");
  private static final int MAX_REMEMBERED = 8192;
  private final DhcpMetrics metrics;
  private final String link;
  private final ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();

  DropLog(DhcpMetrics metrics, String link) {
    this.metrics = metrics;
    this.link = link;
  }

  /** The link this log is for. */
  String link() {
    return link;
  }

  /** Counts and logs a drop of a decoded packet. */
  void drop(DropReason reason, DhcpPacket p, String detail) {
    metrics.drop(reason);
    long who = p == null ? 0 : macValue(p);
    logOnce(reason, who, p == null ? "" : p.label(), detail);
  }

  /** Counts a drop that is logged elsewhere in aggregate (overload shedding): DEBUG only. */
  void dropQuietly(DropReason reason, DhcpPacket p) {
    metrics.drop(reason);
    if (log.isDebugEnabled()) {
      log.debug("event=dhcp_drop reason={} interface={} {}", reason.label(), link, p.label());
    }
  }

  /** Counts a drop of an undecoded datagram that is logged elsewhere in aggregate: DEBUG only. */
  void dropRawQuietly(DropReason reason, int srcIp) {
    metrics.drop(reason);
    if (log.isDebugEnabled()) {
      log.debug(
          "event=dhcp_drop reason={} interface={} src={}",
          reason.label(),
          link,
          Ipv4.format(srcIp));
    }
  }

  /** Counts and logs a drop of a packet that did not decode. */
  void dropRaw(DropReason reason, int srcIp, String detail) {
    metrics.drop(reason);
    logOnce(
        reason, 0x1_0000_0000_0000L | (srcIp & 0xffffffffL), "src=" + Ipv4.format(srcIp), detail);
  }

  private void logOnce(DropReason reason, long who, String label, String detail) {
    long key = who * 31 + reason.ordinal();
    boolean first = seen.putIfAbsent(key, Boolean.TRUE) == null;
    if (first && seen.size() > MAX_REMEMBERED) {
      seen.clear();
    }
    if (first && log.isInfoEnabled()) {
      log.info(
          "event=dhcp_drop reason={} interface={} {} detail=\"{}\" (repeats at DEBUG)",
          reason.label(),
          link,
          label,
          detail);
    } else if (log.isDebugEnabled()) {
      log.debug(
          "event=dhcp_drop reason={} interface={} {} detail=\"{}\"",
          reason.label(),
          link,
          label,
          detail);
    }
  }

  static long macValue(DhcpPacket p) {
    if (p.chaddr().length() < 6) {
      return 0;
    }
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (p.chaddr().byteAt(i) & 0xff);
    }
    return v;
  }
}
