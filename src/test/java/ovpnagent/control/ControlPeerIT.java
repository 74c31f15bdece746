package ovpnagent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovpnagent.config.ControlConfig;
import ovpnagent.metrics.Metrics;

/**
 * The control socket's two gates against real users: the file mode (0660, group) and the
 * SO_PEERCRED check. Creates throwaway system users and a group (we run as root) and removes them.
 */
class ControlPeerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GROUP = "ovpnctl-control-g";
  private static final String OUTSIDER = "ovpnctl-control-x";
  private static final String PRIMARY = "ovpnctl-control-p";
  private static final String MEMBER = "ovpnctl-control-m";

  @BeforeAll
  static void users() throws Exception {
    SystemUsers.assertRoot();
    SystemUsers.ensureGroup(GROUP);
    SystemUsers.ensureUser(OUTSIDER, "nogroup");
    SystemUsers.ensureUser(PRIMARY, GROUP);
    SystemUsers.ensureUser(MEMBER, "nogroup", GROUP);
  }

  @AfterAll
  static void removeUsers() throws Exception {
    SystemUsers.removeUser(OUTSIDER);
    SystemUsers.removeUser(PRIMARY);
    SystemUsers.removeUser(MEMBER);
    SystemUsers.removeGroup(GROUP);
  }

  @Test
  void onlyRootAndGroupMembersGetAnswers(@TempDir Path tmp) throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path sock = tmp.resolve("control.sock");
    Metrics metrics = new Metrics();
    CommandRegistry r = new CommandRegistry(metrics, "t", InstantSource.system());
    try (ControlServer s = new ControlServer(new ControlConfig(sock, GROUP), r)) {
      s.start();
      PosixFileAttributes a = Files.readAttributes(sock, PosixFileAttributes.class);
      assertEquals("rw-rw----", PosixFilePermissions.toString(a.permissions()));
      assertEquals(GROUP, a.group().getName());
      assertEquals("root", a.owner().getName());

      String req = "{\"command\":\"version-get\"}";
      // gate 1: the file mode keeps the outsider from connecting at all
      SystemUsers.Run out = SystemUsers.socatAs(OUTSIDER, sock, req);
      assertNotEquals(0, out.exit(), out.toString());
      assertTrue(out.err().contains("Permission denied"), out.err());

      // members by primary group and by supplementary group, and root, are answered
      for (String u : new String[] {PRIMARY, MEMBER, "root"}) {
        SystemUsers.Run ok = SystemUsers.socatAs(u, sock, req);
        assertEquals(0, ok.exit(), u + ": " + ok);
        JsonNode resp = JSON.readTree(ok.out());
        assertEquals(0, resp.get("result").asInt(), u + ": " + ok.out());
      }

      // gate 2: even if the file mode is loosened, SO_PEERCRED refuses the outsider
      Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
      SystemUsers.Run refused = SystemUsers.socatAs(OUTSIDER, sock, req);
      JsonNode resp = JSON.readTree(refused.out());
      assertEquals(1, resp.get("result").asInt(), refused.toString());
      assertTrue(resp.get("text").asText().startsWith("permission denied"), refused.out());
      assertTrue(resp.get("text").asText().contains(OUTSIDER), refused.out());
      assertEquals(1, metrics.get("control.refused"));
    }
  }

  @Test
  void withoutAGroupOnlyRootIsAnswered(@TempDir Path tmp) throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path sock = tmp.resolve("control.sock");
    CommandRegistry r = new CommandRegistry(new Metrics(), "t", InstantSource.system());
    try (ControlServer s = new ControlServer(new ControlConfig(sock, null), r)) {
      s.start();
      Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
      String req = "{\"command\":\"version-get\"}";
      JsonNode member = JSON.readTree(SystemUsers.socatAs(PRIMARY, sock, req).out());
      assertEquals(1, member.get("result").asInt());
      JsonNode root = JSON.readTree(SystemUsers.socatAs("root", sock, req).out());
      assertEquals(0, root.get("result").asInt());
    }
  }
}
