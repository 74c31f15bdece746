package ovpnagent.dhcp.server;

import java.util.concurrent.CompletableFuture;

/**
 * Conflict detection before an OFFER (RFC 2131 §2.2 and §3.1 step 2, dhcp.md row 21): asks whether
 * something on the link already answers at an address the server is about to hand out, such as a
 * printer or PLC configured by hand inside the pool. {@code dhcp.pingCheck} turns it on; the real
 * implementation sends an ICMP echo on the bridge ({@link IcmpAddressProbe}), tests use an
 * in-process one.
 */
public interface AddressProbe extends AutoCloseable {
  /**
   * Starts one probe of {@code ip}. The future completes with true if the address answered within
   * the probe's timeout, false if nothing answered, or exceptionally if no probe could be sent.
   * Completions may run on any thread.
   */
  CompletableFuture<Boolean> probe(int ip);

  @Override
  void close();
}
