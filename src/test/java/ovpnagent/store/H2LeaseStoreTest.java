package ovpnagent.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The LeaseStore contract against an H2 file in a temporary directory. */
class H2LeaseStoreTest extends LeaseStoreContract {
  @TempDir Path dir;
  private H2Store h2;

  @Override
  protected LeaseStore open() {
    h2 = H2Store.open(StoreTesting.h2FileUrl(dir));
    return h2.leases();
  }

  @Override
  protected LeaseStore reopen() {
    h2.close();
    return open();
  }

  @Override
  protected void closeAll() {
    if (h2 != null) {
      h2.close();
    }
  }
}
