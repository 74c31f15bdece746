package ovpnagent.auth;

import java.util.List;

/** What to answer a CONNECT or REAUTH with. */
public sealed interface AuthDecision permits AuthDecision.Allow, AuthDecision.Deny {

  /** {@code client-auth CID KID} with these body lines. */
  record Allow(List<String> body) implements AuthDecision {
    public Allow {
      body = List.copyOf(body);
    }
  }

  /**
   * {@code client-deny CID KID "reason" "clientReason"}.
   *
   * @param reason for the server log
   * @param clientReason sent to the client
   * @param metric the counter suffix ({@code policy}, {@code pool_exhausted}, {@code error})
   */
  record Deny(String reason, String clientReason, String metric) implements AuthDecision {}
}
