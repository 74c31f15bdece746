/**
 * Counters and gauges with stable, Kea-like names, read by the status CLI and the Prometheus
 * endpoint. No dependencies on other ovpnagent packages.
 */
package ovpnagent.metrics;
