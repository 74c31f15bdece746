package ovpnagent.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import ovpnagent.config.DhcpConfig;
import ovpnagent.util.Ipv4;

/** DhcpConfigs for tests that need a served pool and nothing special. */
public final class TestDhcpConfigs {
  private TestDhcpConfigs() {}

  /**
   * DHCP enabled on {@code poolStart..poolEnd} with {@code router} as option 3, 1 h leases, no DNS
   * or domain, not authoritative, 10 min decline probation, a decline limit of 3/1h, 30 s offers,
   * no reservations or MAC lists; {@code flapWindow} and {@code pingCheck} as given.
   */
  public static DhcpConfig pool(
      String poolStart, String poolEnd, String router, Duration flapWindow, Duration pingCheck) {
    return new DhcpConfig(
        true,
        Ipv4.parse(poolStart),
        Ipv4.parse(poolEnd),
        Duration.ofHours(1),
        List.of(Ipv4.parse(router)),
        List.of(),
        null,
        false,
        Duration.ofMinutes(10),
        3,
        Duration.ofHours(1),
        flapWindow,
        Duration.ofSeconds(30),
        pingCheck,
        Map.of(),
        List.of(),
        List.of());
  }
}
