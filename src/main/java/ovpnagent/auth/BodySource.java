package ovpnagent.auth;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Produces the {@code client-auth} body for an allowed client (routed: its address; bridged: push
 * lines).
 */
@FunctionalInterface
public interface BodySource {
  /**
   * The body lines for {@code commonName}, complete once they can be sent (a routed address is
   * usually ready at once; while the store is failing, only once its record is written). Many may
   * be pending at once.
   *
   * @throws Exception when no body can be made; the client is then denied with the reason ({@link
   *     ovpnagent.routed.PoolExhaustedException} is reported as such). A future that fails denies
   *     the client in the same way.
   */
  CompletableFuture<List<String>> bodyFor(String commonName, boolean reauth) throws Exception;
}
