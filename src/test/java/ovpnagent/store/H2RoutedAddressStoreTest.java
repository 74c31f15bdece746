package ovpnagent.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The RoutedAddressStore contract against an H2 file in a temporary directory. */
class H2RoutedAddressStoreTest extends RoutedAddressStoreContract {
  @TempDir Path dir;
  private H2Store h2;

  @Override
  protected RoutedAddressStore open() {
    h2 = H2Store.open(StoreTesting.h2FileUrl(dir));
    return h2.routed();
  }

  @Override
  protected RoutedAddressStore reopen() {
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
