package ovpnagent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class H2UrlTest {
  @Test
  void embeddedFileGetsWriteDelayZeroAndNoCloseOnExit() {
    assertEquals(
        "jdbc:h2:file:/var/lib/a/leases;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE",
        H2Url.prepare("jdbc:h2:file:/var/lib/a/leases"));
    assertEquals(
        "jdbc:h2:/x/y;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", H2Url.prepare("jdbc:h2:/x/y"));
  }

  @Test
  void anotherWriteDelayIsReplacedAndOtherSettingsKept() {
    assertEquals(
        "jdbc:h2:file:/a;CACHE_SIZE=8192;DB_CLOSE_ON_EXIT=TRUE;WRITE_DELAY=0",
        H2Url.prepare("jdbc:h2:file:/a;write_delay=500;CACHE_SIZE=8192;DB_CLOSE_ON_EXIT=TRUE"));
  }

  @Test
  void retentionTimeIsRefusedInAnyCase() {
    assertThrows(StoreException.class, () -> H2Url.prepare("jdbc:h2:file:/a;RETENTION_TIME=0"));
    assertThrows(
        StoreException.class, () -> H2Url.prepare("jdbc:h2:file:/a;retention_time = 2000"));
  }

  @Test
  void memoryAndOtherDatabasesAreLeftAlone() {
    assertEquals("jdbc:h2:mem:x", H2Url.prepare("jdbc:h2:mem:x"));
    assertEquals(
        "jdbc:postgresql://127.0.0.1:5432/leases",
        H2Url.prepare("jdbc:postgresql://127.0.0.1:5432/leases"));
    assertThrows(StoreException.class, () -> H2Url.prepare("jdbc:h2:mem:"));
    assertThrows(StoreException.class, () -> H2Url.prepare(" "));
  }

  @Test
  void tcpUrlIsNotGivenEmbeddedSettings() {
    assertEquals(
        "jdbc:h2:tcp://localhost:9123/leases",
        H2Url.prepare("jdbc:h2:tcp://localhost:9123/leases"));
  }

  @Test
  void logFormDropsSettingsThatMayHoldPasswords() {
    assertEquals("jdbc:h2:file:/a", H2Url.forLog("jdbc:h2:file:/a;PASSWORD=secret"));
    assertEquals(
        "jdbc:postgresql://h/db", H2Url.forLog("jdbc:postgresql://h/db?user=u&password=p"));
  }
}
