package ovpnagent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovpnagent.config.LogConfig;

class LogSetupTest {
  @Test
  void propertiesFromConfig() {
    Map<String, String> p =
        LogSetup.properties(new LogConfig("debug", "/var/log/ovpn-agent/agent.log"));
    assertEquals("debug", p.get("org.slf4j.simpleLogger.defaultLogLevel"));
    assertEquals("/var/log/ovpn-agent/agent.log", p.get("org.slf4j.simpleLogger.logFile"));
    assertEquals("true", p.get("org.slf4j.simpleLogger.showDateTime"));
    assertEquals("false", p.get("org.slf4j.simpleLogger.showThreadName"));
    assertEquals("true", p.get("org.slf4j.simpleLogger.levelInBrackets"));
    assertFalse(p.containsKey("org.slf4j.simpleLogger.log.org.h2"), "libraries follow at debug");
    Map<String, String> d = LogSetup.properties(new LogConfig("info", null));
    assertEquals("System.err", d.get("org.slf4j.simpleLogger.logFile"));
    assertEquals("warn", d.get("org.slf4j.simpleLogger.log.org.h2"));
  }

  /** Child JVM: configure from args, then log one debug and one info line. */
  public static void main(String[] args) throws Exception {
    LogSetup.configure(new LogConfig(args[0], args[1]));
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("ovpnagent.Probe");
    log.debug(Events.event("probe_debug").toString());
    log.info(Events.event("probe_info").kv("hostname", "evil\nevent=forged").toString());
  }

  private static void child(String level, Path file) throws Exception {
    Path out = Files.createTempFile("control-logsetup", ".out");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LogSetupTest.class.getName(),
                level,
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
    try {
      assertEquals(0, p.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  @Test
  void configuresTheRealLoggerBeforeFirstUse(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("logs/agent.log");
    child("info", file);
    List<String> lines = Files.readAllLines(file);
    assertEquals(1, lines.size(), "info only, one line despite the newline in the value: " + lines);
    String line = lines.get(0);
    // 2026-11-22T17:40:01.123+00:00 [INFO] Probe - event=probe_info hostname="evil\nevent=forged"
    String[] parts = line.split(" ", 2);
    OffsetDateTime.parse(parts[0]); // ISO-8601 with offset
    assertEquals("[INFO] Probe - event=probe_info hostname=\"evil\\nevent=forged\"", parts[1]);

    Path debug = dir.resolve("debug.log");
    child("debug", debug);
    List<String> dl = Files.readAllLines(debug);
    assertEquals(2, dl.size(), dl.toString());
    assertTrue(dl.get(0).endsWith("[DEBUG] Probe - event=probe_debug"), dl.get(0));
  }
}
