package ovpnagent.auth;

import java.util.List;

/**
 * Produces the {@code client-auth} body for an allowed client (routed: its address; bridged: push
 * lines).
 */
@FunctionalInterface
public interface BodySource {
  /**
   * The body lines for {@code commonName}.
   *
   * @throws Exception when no body can be made; the client is then denied with the reason ({@link
   *     ovpnagent.routed.PoolExhaustedException} is reported as such)
   */
  List<String> bodyFor(String commonName, boolean reauth) throws Exception;
}
