package ovpnagent.dhcp.server;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.dhcp.codec.DhcpCodec;
import ovpnagent.dhcp.codec.DhcpPacket;
import ovpnagent.dhcp.codec.MalformedPacketException;
import ovpnagent.dhcp.codec.MessageType;
import ovpnagent.util.Ipv4;

/**
 * One bridge's receive loop: one thread, one reused buffer; each datagram goes decode → {@link
 * RequestFilter} → subnet choice → the handler of its message type. No exception leaves the loop:
 * every failure is a counted drop with a {@link DropReason}.
 */
public final class DhcpServer {
  private static final Logger log = LoggerFactory.getLogger(DhcpServer.class);
  private final PacketIo io;
  private final ServerContext ctx;
  private final RequestFilter filter;
  private final SubnetSelector selector;
  private final MessageHandler discover;
  private final MessageHandler request;
  private final MessageHandler decline;
  private final MessageHandler release;
  private final MessageHandler inform;
  private final AtomicLong processed = new AtomicLong();
  private volatile boolean running;
  private Thread thread;

  DhcpServer(PacketIo io, ServerContext ctx, RequestFilter filter, SubnetSelector selector) {
    this.io = io;
    this.ctx = ctx;
    this.filter = filter;
    this.selector = selector;
    this.discover = new DiscoverHandler(ctx);
    this.request = new RequestHandler(ctx);
    this.decline = new DeclineHandler(ctx);
    this.release = new ReleaseHandler(ctx);
    this.inform = new InformHandler(ctx);
  }

  /** Starts the receive thread. */
  synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "dhcp-rx-" + io.name());
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the loop and closes the PacketIo; waits up to 3 s for the thread. */
  synchronized void stop() {
    running = false;
    io.close();
    if (thread != null) {
      try {
        thread.join(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Datagrams handled so far (answered or dropped). */
  long processed() {
    return processed.get();
  }

  private void loop() {
    byte[] buf = new byte[4096];
    PacketIo.Source src = new PacketIo.Source();
    long errors = 0;
    log.info("event=dhcp_server_started interface={}", io.name());
    while (running) {
      int n;
      try {
        n = io.receive(buf, src);
      } catch (IOException | RuntimeException e) {
        if (!running) {
          break;
        }
        if (errors++ % 1000 == 0) {
          log.warn("event=dhcp_receive_failed interface={} error=\"{}\"", io.name(), e.toString());
        }
        continue;
      }
      if (n == PacketIo.CLOSED) {
        break;
      }
      if (n >= 0) {
        handle(buf, n, src);
      }
    }
    log.info("event=dhcp_server_stopped interface={}", io.name());
  }

  /** Handles one datagram; never throws. */
  void handle(byte[] buf, int len, PacketIo.Source src) {
    DhcpPacket p = null;
    try {
      ctx.metrics.received();
      // under overload most datagrams are DISCOVERs that are shed: they are recognised from
      // option 53 before anything is decoded or allocated, so shedding costs the least it can
      boolean discoverChecked = false;
      if (DhcpCodec.peekMessageType(buf, 0, len) == MessageType.DISCOVER) {
        discoverChecked = true;
        if (ctx.overload.shedDiscover(io)) {
          ctx.metrics.received(MessageType.DISCOVER);
          ctx.drops.dropRawQuietly(DropReason.OVERLOAD, src.ip);
          return;
        }
      }
      try {
        p = DhcpCodec.decode(buf, 0, len);
      } catch (MalformedPacketException e) {
        ctx.drops.dropRaw(DropReason.MALFORMED, src.ip, e.getMessage());
        return;
      }
      dispatch(p, src.dst, discoverChecked);
    } catch (Throwable t) {
      if (p == null) {
        ctx.drops.dropRaw(DropReason.INTERNAL_ERROR, src.ip, t.toString());
      } else {
        ctx.drops.drop(DropReason.INTERNAL_ERROR, p, t.toString());
      }
      log.error("event=dhcp_internal_error interface={} src={}", io.name(), Ipv4.format(src.ip), t);
    } finally {
      processed.incrementAndGet();
    }
  }

  /**
   * Overload check, filters, subnet choice and the handler; {@code discoverChecked}: the overload
   * guard already let this datagram through as a DISCOVER (see {@link #handle}).
   */
  private void dispatch(DhcpPacket p, int dst, boolean discoverChecked) {
    MessageType t = p.messageType();
    if (t != null) {
      ctx.metrics.received(t);
    } else {
      ctx.metrics.receivedUnknown();
    }
    if ((t == MessageType.DISCOVER && !discoverChecked && ctx.overload.shedDiscover(io))
        || (t == MessageType.REQUEST && ctx.overload.shedRequest())) {
      ctx.drops.dropQuietly(DropReason.OVERLOAD, p);
      return;
    }
    long now = ctx.clock.millis();
    DropReason r = filter.accept(p, now);
    if (r != null) {
      String detail = r.label();
      if (r == DropReason.NOT_FOR_US && t == MessageType.REQUEST) {
        String key = ClientKey.of(p);
        detail = "client chose another server";
        if (key != null && ctx.allocator.forgetOffer(key, now)) {
          detail = "client chose another server; our offer freed";
        }
      }
      ctx.drops.drop(r, p, detail);
      return;
    }
    String key = ClientKey.of(p);
    Subnet s = selector.select(p, key);
    if (s == null) {
      java.util.concurrent.CompletableFuture<Subnet> later = selector.selectLater(p, key);
      if (later == null) {
        dropUnselected(p, key);
        return;
      }
      ctx.metrics.registry().inc("dhcp4.held");
      DhcpPacket held = p;
      later.whenComplete((sub, err) -> completeHeld(held, dst, key, sub, err));
      return;
    }
    handleSelected(p, dst, s, key, now);
  }

  private void dropUnselected(DhcpPacket p, String key) {
    DropReason r = selector.missReason(p, key);
    ctx.drops.drop(
        r, p, r == DropReason.NO_SUBNET ? "giaddr=" + Ipv4.format(p.giaddr()) : "mac=" + p.mac());
  }

  /** Finishes a packet parked while its subnet was being chosen; never throws. */
  private void completeHeld(DhcpPacket p, int dst, String key, Subnet s, Throwable err) {
    try {
      if (err != null || s == null) {
        dropUnselected(p, key);
        return;
      }
      handleSelected(p, dst, s, key, ctx.clock.millis());
    } catch (Throwable t) {
      ctx.drops.drop(DropReason.INTERNAL_ERROR, p, t.toString());
      log.error("event=dhcp_internal_error interface={} phase=held", io.name(), t);
    }
  }

  private void handleSelected(DhcpPacket p, int dst, Subnet s, String key, long now) {
    MessageType t = p.messageType();
    MessageHandler h =
        switch (t) {
          case DISCOVER -> discover;
          case REQUEST -> request;
          case DECLINE -> decline;
          case RELEASE -> release;
          case INFORM -> inform;
          case OFFER, ACK, NAK -> null;
        };
    if (h == null) {
      ctx.drops.drop(DropReason.UNKNOWN_TYPE, p, t.name());
      return;
    }
    h.handle(p, dst, s, key, now);
  }
}
