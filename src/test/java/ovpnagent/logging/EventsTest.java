package ovpnagent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventsTest {
  @Test
  void plainValuesStayBare() {
    assertEquals(
        "event=lease_granted mac=52:50:0e:2b:80:24 ip=198.18.0.10 subnet=198.18.0.0/24"
            + " router=router-a",
        Events.event("lease_granted")
            .kv("mac", "52:50:0e:2b:80:24")
            .kv("ip", "198.18.0.10")
            .kv("subnet", "198.18.0.0/24")
            .kv("router", "router-a")
            .toString());
    assertEquals("-", Events.value(null));
    assertEquals("\"\"", Events.value(""));
    assertEquals("42", Events.value(42));
  }

  @Test
  void clientStringsCannotForgeLogLines() {
    // a DHCP hostname that tries to end the line and start a fake event
    String host = "pc\nevent=lease_granted mac=00:00:00:00:00:00";
    String v = Events.value(host);
    assertEquals("\"pc\\nevent=lease_granted mac=00:00:00:00:00:00\"", v);
    assertFalse(v.contains("\n"));
    assertEquals("\"say \\\"hi\\\" \\\\ there\"", Events.value("say \"hi\" \\ there"));
    assertEquals("\"a\\rb\\tc\"", Events.value("a\rb\tc"));
    assertEquals("\"a=b\"", Events.value("a=b"));
    assertEquals("\"\\u001b[2J\"", Events.value("\u001b[2J"));
    assertEquals("\"x\\u202ey\"", Events.value("x\u202ey"), "bidi override escaped");
    assertEquals("\"\\u0000\"", Events.value("\0"));
    assertEquals("café", Events.value("café"), "printable Unicode stays");
    assertEquals("\"\\ud800\"", Events.value("\ud800"), "lone surrogate escaped");
    assertEquals("😀", Events.value("😀"));
  }

  @Test
  void longValuesAreCut() {
    String v = Events.value("a".repeat(1000));
    assertEquals(Events.MAX_VALUE + 3, v.length());
    assertTrue(v.endsWith("..."));
  }

  @Test
  void secretsAreMasked() {
    assertEquals(
        "event=mgmt_login password=*** user=admin",
        Events.event("mgmt_login").kv("password", "hunter2").kv("user", "admin").toString());
    assertEquals("auth_token=***", Events.kv("auth_token", "abc"));
    assertEquals("Client_Secret=***", Events.kv("Client_Secret", "abc"));
    assertTrue(Events.isSecretKey("mgmt.password"));
    assertFalse(Events.isSecretKey("mac"));
    assertEquals(">CLIENT:ENV,password=***", Events.maskSecrets(">CLIENT:ENV,password=s3cr3t x=1"));
    assertEquals("token: ***", Events.maskSecrets("token: abc"));
    assertEquals(">CLIENT:ENV,common_name=a", Events.maskSecrets(">CLIENT:ENV,common_name=a"));
  }

  @Test
  void keysAreSanitized() {
    assertEquals("bad_key=1", Events.kv("bad key", 1));
    assertEquals("_=1", Events.kv("", 1));
    assertEquals("event=x_y", Events.event("x y").toString());
  }
}
