package ovpnagent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusRendererTest {
  private static double value(PromText.Family f, Map<String, String> labels) {
    for (PromText.Sample s : f.samples()) {
      if (s.labels().equals(labels)) {
        return s.value();
      }
    }
    throw new AssertionError("no sample " + labels + " in " + f);
  }

  @Test
  void countersGaugesLabelsAndHelpParseBack() {
    Metrics m = new Metrics();
    m.counter("dhcp4.drop.malformed").add(5);
    m.counter("dhcp4.received.discover").add(42);
    m.counter(MetricName.of("dhcp4.sent", "type", "offer").toString()).add(7);
    m.counter(MetricName.of("dhcp4.sent", "type", "ack").toString()).add(6);
    m.counter("mgmt.reconnects_total").add(1);
    m.gauge(MetricName.of("dhcp4.pool.used", "subnet", "198.18.0.0/24").toString(), () -> 10);
    m.gauge(
        MetricName.of("leases", "state", "declined", "router", "site \"a\"\nb").toString(),
        () -> 2);
    m.gauge("weird-name.with spaces", () -> 3);
    String text =
        new PrometheusRenderer(Map.of("dhcp4.drop.malformed", "Packets dropped: malformed\\bad"))
            .render(m);
    Map<String, PromText.Family> f = PromText.parse(text);

    PromText.Family mal = f.get("ovpn_agent_dhcp4_drop_malformed_total");
    assertEquals("counter", mal.type());
    assertEquals("Packets dropped: malformed\\\\bad", mal.help());
    assertEquals(5, value(mal, Map.of()));
    assertEquals(42, value(f.get("ovpn_agent_dhcp4_received_discover_total"), Map.of()));

    PromText.Family sent = f.get("ovpn_agent_dhcp4_sent_total");
    assertEquals(2, sent.samples().size(), "one family, two series");
    assertEquals(7, value(sent, Map.of("type", "offer")));
    assertEquals(6, value(sent, Map.of("type", "ack")));

    assertTrue(
        f.containsKey("ovpn_agent_mgmt_reconnects_total"), "no double _total: " + f.keySet());

    PromText.Family pool = f.get("ovpn_agent_dhcp4_pool_used");
    assertEquals("gauge", pool.type());
    assertEquals(10, value(pool, Map.of("subnet", "198.18.0.0/24")));
    assertEquals(
        2,
        value(f.get("ovpn_agent_leases"), Map.of("state", "declined", "router", "site \"a\"\nb")));
    assertEquals(3, value(f.get("ovpn_agent_weird_name_with_spaces"), Map.of()));
    assertEquals(7, f.size(), f.keySet().toString());
  }

  @Test
  void histogramIsCumulativeWithInfEqualToCount() {
    Metrics m = new Metrics();
    Histogram h =
        m.histogram(MetricName.of("mgmt.auth.latency_ms", "instance", "site").toString(), 1, 5, 10);
    h.recordMillis(0);
    h.recordMillis(1);
    h.recordMillis(3);
    h.recordMillis(7);
    h.recordMillis(70);
    Map<String, PromText.Family> f = PromText.parse(new PrometheusRenderer().render(m));
    PromText.Family fam = f.get("ovpn_agent_mgmt_auth_latency_ms");
    assertEquals("histogram", fam.type());
    List<Double> cumulative =
        fam.samples().stream()
            .filter(s -> s.name().endsWith("_bucket"))
            .map(PromText.Sample::value)
            .toList();
    assertEquals(List.of(2.0, 3.0, 4.0, 5.0), cumulative);
    List<String> les =
        fam.samples().stream()
            .filter(s -> s.name().endsWith("_bucket"))
            .map(s -> s.labels().get("le"))
            .toList();
    assertEquals(List.of("1", "5", "10", "+Inf"), les);
    for (PromText.Sample s : fam.samples()) {
      assertEquals("site", s.labels().get("instance"));
    }
    PromText.Sample count =
        fam.samples().stream().filter(s -> s.name().endsWith("_count")).findFirst().orElseThrow();
    PromText.Sample sum =
        fam.samples().stream().filter(s -> s.name().endsWith("_sum")).findFirst().orElseThrow();
    assertEquals(5, count.value());
    assertEquals(81, sum.value(), 1e-9);
  }

  @Test
  void emptyMetricsRenderNothing() {
    assertEquals("", new PrometheusRenderer().render(new Metrics()));
  }

  @Test
  void metricNameConvention() {
    MetricName n = MetricName.of("dhcp4.pool.used", "subnet", "198.18.0.0/24", "router", "a,b}");
    assertEquals("dhcp4.pool.used{subnet=198.18.0.0/24,router=a_b_}", n.toString());
    assertEquals(n, MetricName.parse(n.toString()));
    assertEquals(new MetricName("plain.name", Map.of()), MetricName.parse("plain.name"));
    assertEquals("broken{x", MetricName.parse("broken{x").base());
    assertFalse(MetricName.parse("broken{x").labels().size() > 0);
    assertEquals("bad{novalue}", MetricName.parse("bad{novalue}").base());
    assertEquals(
        "ovpn_agent_dhcp4_drop_malformed", PrometheusRenderer.promName("dhcp4.drop.malformed"));
  }
}
