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
   * The body lines for {@code commonName}, complete once everything they promise is durable (a
   * routed address is saved before it is pushed). Many may be pending at once, so one store commit
   * can serve a whole burst of CONNECTs.
   *
   * @throws Exception when no body can be made; the client is then denied with the reason ({@link
   *     ovpnagent.routed.PoolExhaustedException} is reported as such). A future that fails denies
   *     the client in the same way.
   */
  CompletableFuture<List<String>> bodyFor(String commonName, boolean reauth) throws Exception;
}
