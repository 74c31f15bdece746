package ovpnagent.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthPolicyTest {
  @Test
  void denyWinsAndAllowListRestricts() {
    AuthPolicy p = new AuthPolicy(List.of("router-*", "site-?"), List.of("router-old*"), "no");
    assertTrue(p.permits("router-a"));
    assertTrue(p.permits("site-1"));
    assertFalse(p.permits("site-12"), "? is exactly one character");
    assertFalse(p.permits("router-old-3"), "deny wins over allow");
    assertFalse(p.permits("laptop"), "not in a non-empty allow list");
    assertFalse(p.permits(""), "an empty common name is never allowed");
  }

  @Test
  void globMetacharactersAreLiteral() {
    AuthPolicy p = new AuthPolicy(List.of("a.b*"), List.of(), "no");
    assertTrue(p.permits("a.bc"));
    assertFalse(p.permits("axbc"), "a dot in a glob is a dot, not any character");
  }

  @Test
  void emptyPolicyAllowsEveryone() {
    assertTrue(AuthPolicy.allowAll().permits("anyone"));
  }
}
