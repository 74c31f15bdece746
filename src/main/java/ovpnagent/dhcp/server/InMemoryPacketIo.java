package ovpnagent.dhcp.server;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import ovpnagent.util.HwAddr;

/** A {@link PacketIo} over two queues, for in-process test clients and benchmarks. */
public final class InMemoryPacketIo implements PacketIo {
  private record Datagram(byte[] data, int ip, int port, int dst) {}

  /**
   * One reply the server sent.
   *
   * @param mac the layer-2 destination for an unaddressed client, else null
   */
  public record Sent(byte[] data, int ip, int port, HwAddr mac) {}

  private final String name;
  private final BlockingQueue<Datagram> in = new LinkedBlockingQueue<>();
  private final BlockingQueue<Sent> out = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private volatile int backlogPercent;

  /** A queue pair named like a link. */
  public InMemoryPacketIo(String name) {
    this.name = name;
  }

  /** Queues a datagram for the server, as if it came from {@code ip:port} by broadcast. */
  public void inject(byte[] data, int ip, int port) {
    inject(data, ip, port, BROADCAST);
  }

  /** Queues a datagram for the server, as if {@code ip:port} had sent it to {@code dst}. */
  public void inject(byte[] data, int ip, int port, int dst) {
    in.add(new Datagram(data.clone(), ip, port, dst));
  }

  /** The next reply, or null if none arrives within {@code timeout}. */
  public Sent poll(Duration timeout) throws InterruptedException {
    return out.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The number of replies waiting. */
  public int pending() {
    return out.size();
  }

  @Override
  public int receive(byte[] buf, Source from) {
    if (closed) {
      return CLOSED;
    }
    Datagram d;
    try {
      d = in.poll(50, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return closed ? CLOSED : TIMEOUT;
    }
    if (d == null) {
      return closed ? CLOSED : TIMEOUT;
    }
    int n = Math.min(d.data.length, buf.length);
    System.arraycopy(d.data, 0, buf, 0, n);
    from.set(d.ip, d.port, d.dst);
    return n;
  }

  /** Sets the receive-queue fill this link reports, as a full kernel socket would. */
  public void setBacklogPercent(int percent) {
    backlogPercent = percent;
  }

  @Override
  public int backlogPercent() {
    return backlogPercent;
  }

  @Override
  public void send(byte[] data, int len, int ip, int port, HwAddr mac) {
    out.add(new Sent(Arrays.copyOf(data, len), ip, port, mac));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() {
    closed = true;
  }
}
