package ovpnagent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ovpnagent.config.MetricsConfig;

class MetricsHttpServiceTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(String url, String method) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(5))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void scrapedOverLoopback() throws Exception {
    Metrics m = new Metrics();
    m.counter("dhcp4.received.discover").add(3);
    m.histogram("dhcp4.commit.latency_ms").recordMillis(2);
    try (MetricsHttpService s =
        new MetricsHttpService(new MetricsConfig("127.0.0.1:0"), m, new PrometheusRenderer())) {
      s.start();
      String base = "http://127.0.0.1:" + s.address().getPort();
      HttpResponse<String> r = get(base + "/metrics", "GET");
      assertEquals(200, r.statusCode());
      assertEquals(
          PrometheusRenderer.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
      Map<String, PromText.Family> f = PromText.parse(r.body());
      assertEquals(3, f.get("ovpn_agent_dhcp4_received_discover_total").samples().get(0).value());
      assertEquals("histogram", f.get("ovpn_agent_dhcp4_commit_latency_ms").type());

      // live values: the next scrape sees the new count
      m.inc("dhcp4.received.discover");
      Map<String, PromText.Family> f2 = PromText.parse(get(base + "/metrics", "GET").body());
      assertEquals(4, f2.get("ovpn_agent_dhcp4_received_discover_total").samples().get(0).value());

      assertEquals(404, get(base + "/", "GET").statusCode());
      assertEquals(404, get(base + "/metricsx", "GET").statusCode());
      HttpResponse<String> post = get(base + "/metrics", "POST");
      assertEquals(405, post.statusCode());
      assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    }
  }

  @Test
  void disabledWhenListenIsNull() throws Exception {
    try (MetricsHttpService s =
        new MetricsHttpService(new MetricsConfig(null), new Metrics(), new PrometheusRenderer())) {
      s.start();
      assertNull(s.address());
    }
  }

  @Test
  void portInUseFailsStart() throws Exception {
    try (MetricsHttpService a =
        new MetricsHttpService(
            new MetricsConfig("127.0.0.1:0"), new Metrics(), new PrometheusRenderer())) {
      a.start();
      MetricsHttpService b =
          new MetricsHttpService(
              new MetricsConfig("127.0.0.1:" + a.address().getPort()),
              new Metrics(),
              new PrometheusRenderer());
      assertThrows(java.io.IOException.class, b::start);
      b.close();
      assertTrue(a.address().getAddress().isLoopbackAddress());
    }
  }
}
