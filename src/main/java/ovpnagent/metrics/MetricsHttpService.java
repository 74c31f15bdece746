package ovpnagent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.boot.Service;
import ovpnagent.config.MetricsConfig;

/**
 * Serves {@code GET /metrics} in the Prometheus text format on {@link MetricsConfig#listen()}
 * (loopback by default) with the JDK's built-in HTTP server and one worker thread; any other path
 * is 404, any other method 405. Does nothing when {@code listen} is null (disabled).
 */
public final class MetricsHttpService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpService.class);
  private final String listen;
  private final Metrics metrics;
  private final PrometheusRenderer renderer;
  private HttpServer server;
  private ExecutorService executor;

  /** A service for this config, exporting {@code metrics} with {@code renderer}. */
  public MetricsHttpService(MetricsConfig config, Metrics metrics, PrometheusRenderer renderer) {
    this.listen = config == null ? null : config.listen();
    this.metrics = metrics;
    this.renderer = renderer;
  }

  @Override
  public String name() {
    return "metrics";
  }

  /** Binds the listen address; throws if it is taken or not a host:port. */
  @Override
  public synchronized void start() throws IOException {
    if (listen == null) {
      LOG.info("event=metrics_disabled");
      return;
    }
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      throw new IOException("metrics.listen must be host:port, got '" + listen + "'");
    }
    String host = listen.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IOException("metrics.listen must be host:port, got '" + listen + "'", e);
    }
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    // one worker, bounded queue: a scrape is cheap and a flood must not grow the heap
    executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(32),
            r -> {
              Thread t = new Thread(r, "metrics-http");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.DiscardPolicy());
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    LOG.info("event=metrics_listening address={}", address());
  }

  /**
   * The bound address (with the real port when listen asked for port 0), or null if not running.
   */
  public synchronized InetSocketAddress address() {
    return server == null ? null : server.getAddress();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestURI().getPath().equals("/metrics")) {
        send(ex, 404, "text/plain; charset=utf-8", "not found; try /metrics\n");
      } else if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n");
      } else {
        String body;
        try {
          body = renderer.render(metrics);
        } catch (RuntimeException e) {
          LOG.error("event=metrics_render_failed reason=\"{}\"", e.toString());
          send(ex, 500, "text/plain; charset=utf-8", "render failed\n");
          return;
        }
        send(ex, 200, PrometheusRenderer.CONTENT_TYPE, body);
      }
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : b.length);
    if (!head) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
