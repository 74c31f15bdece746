package ovpnagent.dhcp.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.dhcp.codec.OptionCode;
import ovpnagent.logging.Events;
import ovpnagent.store.Lease;
import ovpnagent.store.LeaseState;
import ovpnagent.util.Ipv4;

/**
 * REQUEST → ACK or NAK (RFC 2131 §4.3.2, Table 4). The state is told apart by option 54, option 50,
 * ciaddr and how the datagram came: SELECTING (54 and 50), INIT-REBOOT (50 only), RENEWING (ciaddr
 * only, unicast to us), REBINDING (ciaddr only, broadcast, or relayed: a relay forwards only
 * broadcasts). Each state is counted ({@code dhcp4.request.<state>}). A REQUEST naming another
 * server never gets here (the filter drops it and frees our offer). An ACK leaves only after {@link
 * ovpnagent.store.LeaseStore#save} completed (commit before ACK); if the save fails there is no ACK
 * and the drop is counted as {@code store_failed}.
 */
final class RequestHandler implements MessageHandler {
  private static final Logger LOG = LoggerFactory.getLogger("ovpnagent.dhcp.lease");
  private final ServerContext ctx;

  RequestHandler(ServerContext ctx) {
    this.ctx = ctx;
  }

  /** Without the datagram's destination: a REQUEST with only ciaddr counts as RENEWING. */
  @Override
  public void handle(DhcpPacket p, Subnet s, String key, long now) {
    handle(p, 0, s, key, now);
  }

  @Override
  public void handle(DhcpPacket p, int dst, Subnet s, String key, long now) {
    Integer serverId = p.options().ipv4(OptionCode.SERVER_ID);
    Integer requested = p.options().ipv4(OptionCode.REQUESTED_IP);
    if (serverId != null) {
      if (requested == null) {
        ctx.drops.drop(DropReason.RFC_VIOLATION, p, "SELECTING REQUEST without option 50");
        return;
      }
      count("dhcp4.request.selecting");
      bind(p, s, key, requested, now);
    } else if (requested != null) {
      count("dhcp4.request.init_reboot");
      initReboot(p, s, key, requested, now);
    } else if (p.ciaddr() != 0) {
      if (p.giaddr() != 0 || isBroadcast(dst, s)) {
        count("dhcp4.request.rebinding");
        rebind(p, s, key, now);
      } else {
        count("dhcp4.request.renewing");
        renew(p, s, key, now);
      }
    } else {
      ctx.drops.drop(DropReason.RFC_VIOLATION, p, "REQUEST without option 50 and without ciaddr");
    }
  }

  /** Whether {@code dst} is the limited broadcast or the directed broadcast of {@code s}. */
  static boolean isBroadcast(int dst, Subnet s) {
    return dst == PacketIo.BROADCAST || (dst != 0 && dst == s.network().broadcast());
  }

  private void count(String metric) {
    ctx.metrics.registry().inc(metric);
  }

  private void initReboot(DhcpPacket p, Subnet s, String key, int requested, long now) {
    Lease mine = ctx.allocator.leaseOf(key);
    if (mine == null) {
      if (!ctx.authoritative) {
        ctx.drops.drop(
            DropReason.UNKNOWN_CLIENT,
            p,
            "INIT-REBOOT for "
                + Ipv4.format(requested)
                + " from a client without a record (not authoritative)");
        return;
      }
      bind(p, s, key, requested, now);
    } else if (mine.ip() != requested) {
      nak(p, s, "requested address is not this client's");
    } else {
      bind(p, s, key, requested, now);
    }
  }

  /**
   * RENEWING: the client unicast to us, so its lease is ours and ciaddr is trusted (§4.3.2): found
   * by ciaddr; a client whose record names another address is NAKed; a client without any record is
   * bound if ciaddr is free (a lost store rebuilds itself, as in Kea).
   */
  private void renew(DhcpPacket p, Subnet s, String key, long now) {
    Lease mine = ctx.allocator.leaseOf(key);
    if (mine != null && mine.ip() != p.ciaddr()) {
      nak(p, s, "ciaddr is not this client's address");
      return;
    }
    bind(p, s, key, p.ciaddr(), now);
  }

  /**
   * REBINDING: the client broadcast because its own server did not answer, which may be another
   * server, so ciaddr is checked (§4.3.2 SHOULD): an address not on this client's network is NAKed;
   * a client without a record is answered only by an authoritative server (as INIT-REBOOT, §4.3.2),
   * else silently left to the server that holds its lease; a record naming another address is
   * NAKed.
   */
  private void rebind(DhcpPacket p, Subnet s, String key, long now) {
    if (!s.network().contains(p.ciaddr())) {
      nak(p, s, "ciaddr " + Ipv4.format(p.ciaddr()) + " is not on this network");
      return;
    }
    Lease mine = ctx.allocator.leaseOf(key);
    if (mine == null && !ctx.authoritative) {
      ctx.drops.drop(
          DropReason.UNKNOWN_CLIENT,
          p,
          "REBINDING for "
              + Ipv4.format(p.ciaddr())
              + " from a client without a record (not authoritative)");
      return;
    }
    if (mine != null && mine.ip() != p.ciaddr()) {
      nak(p, s, "ciaddr is not this client's address");
      return;
    }
    bind(p, s, key, p.ciaddr(), now);
  }

  private void bind(DhcpPacket p, Subnet s, String key, int ip, long now) {
    Lease before = ctx.allocator.leaseOf(key);
    boolean renewal = before != null && before.ip() == ip && before.state() == LeaseState.BOUND;
    LeaseAllocator.BindResult r =
        ctx.allocator.bind(s, key, p.mac(), ip, p.options().string(OptionCode.HOST_NAME), now);
    if (r.lease() == null) {
      nak(p, s, r.nakReason());
      return;
    }
    DhcpPacket ack = ReplyFactory.lease(MessageType.ACK, p, s, ip);
    long token = ctx.overload.saveStarted();
    try {
      ctx.store
          .save(r.lease())
          .whenComplete(
              (v, err) -> {
                ctx.overload.saveDone(token);
                if (err != null) {
                  ctx.drops.drop(DropReason.STORE_FAILED, p, "lease not durable: " + err);
                } else {
                  ctx.sender.send(p, ack, MessageType.ACK);
                  logGranted(p, r.lease(), renewal);
                }
              });
    } catch (RuntimeException e) {
      ctx.overload.saveDone(token);
      ctx.drops.drop(DropReason.STORE_FAILED, p, "lease not durable: " + e);
    }
  }

  /** A lease decision: new bindings at INFO, renewals of the same address at DEBUG. */
  private static void logGranted(DhcpPacket p, Lease l, boolean renewal) {
    if (renewal ? LOG.isDebugEnabled() : LOG.isInfoEnabled()) {
      String line =
          "event="
              + (renewal ? "lease_renewed" : "lease_granted")
              + " ip="
              + Ipv4.format(l.ip())
              + " mac="
              + l.mac()
              + " client="
              + l.clientKey()
              + " router="
              + (l.router() == null ? "-" : Events.value(l.router()))
              + " hostname="
              + (l.hostname() == null ? "-" : Events.value(l.hostname()))
              + " expires_ms="
              + l.expiresAt();
      if (renewal) {
        LOG.debug(line);
      } else {
        LOG.info(line);
      }
    }
  }

  private void nak(DhcpPacket p, Subnet s, String why) {
    LOG.info("event=lease_nak {} reason={}", p.label(), Events.value(why));
    ctx.sender.send(p, ReplyFactory.nak(p, s.serverId(), why), MessageType.NAK);
  }
}
