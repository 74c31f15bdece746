package ovpnagent.dhcp.server;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load shedding for one bridge (no collapse under overload): while the durable-write path is behind
 * (too many ACKs waiting for their commit, or the last commit took too long) or the socket's
 * receive queue is filling up, new DISCOVERs are dropped early as {@link DropReason#OVERLOAD}, so
 * the capacity goes to REQUESTs of clients that already hold an offer and every exchange that is
 * started can still finish within the client's timeout. Start and end of each overload episode are
 * logged once; the individual drops only count.
 */
final class OverloadGuard {
  private static final Logger log = LoggerFactory.getLogger(OverloadGuard.class);

  /** Saves waiting for their commit above which DISCOVERs are shed. */
  static final int MAX_PENDING = 2048;

  /** Saves waiting for their commit above which even REQUESTs are shed (store queue: 16,384). */
  static final int MAX_PENDING_REQUESTS = 4096;

  /** Commit latency (submit to completion) above which DISCOVERs are shed. */
  static final long MAX_LATENCY_NANOS = 250_000_000L;

  /**
   * Receive-queue fill (per cent of the socket buffer) above which DISCOVERs are shed. Half of the
   * 4 MB buffer (UdpPacketIo; a small datagram costs about 1 KB of it) is a few thousand datagrams,
   * some 50-100 ms at the rates make bench reaches: a short stall stays below it, a sustained
   * overload goes past it.
   */
  static final int MAX_BACKLOG_PERCENT = 50;

  /** At most one overload log line per second (with the count of DISCOVERs shed since). */
  static final long LOG_EVERY_NANOS = 1_000_000_000L;

  /** How often (in received datagrams) the receive queue fill is sampled. */
  static final int BACKLOG_SAMPLE_EVERY = 32;

  private final String link;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile long lastLatencyNanos;
  private int backlogPercent;
  private int sampleCountdown;
  private long shedSinceLog;
  private long lastLogNanos = System.nanoTime() - LOG_EVERY_NANOS;

  OverloadGuard(String link) {
    this.link = link;
  }

  /** Called before a save the reply waits for; returns the token for {@link #saveDone}. */
  long saveStarted() {
    pending.incrementAndGet();
    return System.nanoTime();
  }

  /** Called when that save completed (committed or failed). */
  void saveDone(long token) {
    pending.decrementAndGet();
    lastLatencyNanos = System.nanoTime() - token;
  }

  /**
   * Whether to shed a REQUEST: only when so many saves wait that the store's queue would soon
   * refuse them (a burst such as every client at once); before that REQUESTs always go ahead.
   */
  boolean shedRequest() {
    return pending.get() > MAX_PENDING_REQUESTS;
  }

  /** Saves submitted and not yet completed. */
  int pending() {
    return pending.get();
  }

  /**
   * Receive thread only: whether to shed a DISCOVER now; {@code io} is sampled for its queue fill
   * every {@link #BACKLOG_SAMPLE_EVERY} calls.
   */
  boolean shedDiscover(PacketIo io) {
    if (--sampleCountdown <= 0) {
      sampleCountdown = BACKLOG_SAMPLE_EVERY;
      backlogPercent = io.backlogPercent();
    }
    int waiting = pending.get();
    // The last commit's latency counts only while saves are waiting: once shedding has let the
    // writer catch up, no new completion would ever clear a stale value.
    boolean shed =
        backlogPercent > MAX_BACKLOG_PERCENT
            || waiting > MAX_PENDING
            || (waiting > 0 && lastLatencyNanos > MAX_LATENCY_NANOS);
    if (shed) {
      shedSinceLog++;
      long now = System.nanoTime();
      if (now - lastLogNanos >= LOG_EVERY_NANOS) {
        lastLogNanos = now;
        log.info(
            "event=dhcp_overload interface={} discovers_dropped={} pending_commits={} commit_ms={}"
                + " rx_queue_pct={}",
            link,
            shedSinceLog,
            waiting,
            lastLatencyNanos / 1_000_000,
            backlogPercent);
        shedSinceLog = 0;
      }
    }
    return shed;
  }
}
