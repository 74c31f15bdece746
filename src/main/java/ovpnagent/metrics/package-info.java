/**
 * Counters, gauges and latency histograms with stable, Kea-like dotted names (labels by the {@link
 * ovpnagent.metrics.MetricName} convention {@code base{key=value}}), read by the control command
 * {@code statistic-get-all} and exported in the Prometheus text exposition format 0.0.4 by {@link
 * ovpnagent.metrics.MetricsHttpService}. Imports only {@code boot.Service} and {@code config}.
 */
package ovpnagent.metrics;
