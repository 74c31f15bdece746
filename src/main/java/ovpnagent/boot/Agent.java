package ovpnagent.boot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the agent's services: starts them in order, the first failure closes those already started
 * (in reverse) and reports its cause; {@link #close()} stops them in reverse order.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private final List<Service> services;
  private final Deque<Service> started = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  public Agent(List<Service> services) {
    this.services = List.copyOf(services);
  }

  /** Starts every service in order; on failure closes the started ones and rethrows. */
  public synchronized void start() throws Exception {
    for (Service s : services) {
      long t0 = System.nanoTime();
      try {
        s.start();
      } catch (Exception e) {
        LOG.error("event=service_failed service={} reason=\"{}\"", s.name(), e.getMessage());
        s.close();
        close();
        throw e;
      }
      started.push(s);
      LOG.info(
          "event=service_started service={} ms={}", s.name(), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** The services, in start order. */
  public List<Service> services() {
    return services;
  }

  /** Blocks until {@link #close()} has run. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      Service s = started.pop();
      try {
        s.close();
        LOG.info("event=service_stopped service={}", s.name());
      } catch (RuntimeException e) {
        LOG.warn("event=service_stop_failed service={} reason=\"{}\"", s.name(), e.toString());
      }
    }
    stopped.countDown();
  }
}
