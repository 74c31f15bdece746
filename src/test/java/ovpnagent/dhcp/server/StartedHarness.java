package ovpnagent.dhcp.server;

import java.lang.reflect.Field;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For scenario test classes ({@code @ExtendWith(StartedHarness.class)}): before each test, puts a
 * started {@link ServerHarness} with the default settings into the class's one {@code
 * ServerHarness} field; after it, closes whatever harness that field then holds (a test may close
 * it and start one with settings of its own).
 */
final class StartedHarness implements BeforeEachCallback, AfterEachCallback {
  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    Object test = context.getRequiredTestInstance();
    field(test).set(test, new ServerHarness().start());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Object test = context.getRequiredTestInstance();
    ServerHarness h = (ServerHarness) field(test).get(test);
    if (h != null) {
      h.close();
    }
  }

  private static Field field(Object test) {
    Field found = null;
    for (Field f : test.getClass().getDeclaredFields()) {
      if (f.getType() == ServerHarness.class) {
        if (found != null) {
          throw new IllegalStateException(test.getClass() + " has more than one ServerHarness");
        }
        found = f;
      }
    }
    if (found == null) {
      throw new IllegalStateException(test.getClass() + " has no ServerHarness field");
    }
    found.setAccessible(true);
    return found;
  }
}
