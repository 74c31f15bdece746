package ovpnagent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Creates and removes throwaway system users and groups (we run as root), and runs as them. */
final class SystemUsers {
  private SystemUsers() {}

  /** Result of a command. */
  record Run(int exit, String out, String err) {}

  /** Runs a command with a deadline, feeding {@code stdin}. */
  static Run exec(List<String> cmd, String stdin, long timeoutMs) throws Exception {
    Path o = Files.createTempFile("control-out", ".txt");
    Path e = Files.createTempFile("control-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectOutput(o.toFile()).redirectError(e.toFile()).start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException ignored) {
        // the command may exit without reading
      }
      if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError("timed out after " + timeoutMs + " ms: " + cmd);
      }
      return new Run(p.exitValue(), Files.readString(o), Files.readString(e));
    } finally {
      Files.deleteIfExists(o);
      Files.deleteIfExists(e);
    }
  }

  static boolean exists(String kind, String name) throws Exception {
    return exec(List.of("getent", kind, name), null, 10_000).exit() == 0;
  }

  static void ensureGroup(String group) throws Exception {
    if (!exists("group", group)) {
      Run r = exec(List.of("groupadd", "-r", group), null, 20_000);
      assertEquals(0, r.exit(), "groupadd " + group + ": " + r.err());
    }
  }

  /** Creates a system user with this primary group and these supplementary groups. */
  static void ensureUser(String user, String primary, String... supplementary) throws Exception {
    if (exists("passwd", user)) {
      return;
    }
    List<String> cmd =
        new ArrayList<>(List.of("useradd", "-r", "-M", "-s", "/usr/sbin/nologin", "-g", primary));
    if (supplementary.length > 0) {
      cmd.add("-G");
      cmd.add(String.join(",", supplementary));
    }
    cmd.add(user);
    Run r = exec(cmd, null, 20_000);
    assertEquals(0, r.exit(), "useradd " + user + ": " + r.err());
  }

  static void removeUser(String user) throws Exception {
    if (exists("passwd", user)) {
      exec(List.of("userdel", user), null, 20_000);
    }
  }

  static void removeGroup(String group) throws Exception {
    if (exists("group", group)) {
      exec(List.of("groupdel", group), null, 20_000);
    }
  }

  /** Sends one request line to a unix socket as {@code user} with socat. */
  static Run socatAs(String user, Path socket, String request) throws Exception {
    return exec(
        List.of(
            "runuser",
            "-u",
            user,
            "--",
            "socat",
            "-t",
            "3",
            "-T",
            "5",
            "-",
            "UNIX-CONNECT:" + socket),
        request + "\n",
        15_000);
  }

  static void assertRoot() {
    assertTrue(
        "root".equals(System.getProperty("user.name")), "these tests need root (CI runs as root)");
  }
}
