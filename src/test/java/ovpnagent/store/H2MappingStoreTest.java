package ovpnagent.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The MappingStore contract against an H2 file in a temporary directory. */
class H2MappingStoreTest extends MappingStoreContract {
  @TempDir Path dir;
  private H2Store h2;

  @Override
  protected MappingStore open() {
    h2 = H2Store.open(StoreTesting.h2FileUrl(dir));
    return h2.mappings();
  }

  @Override
  protected MappingStore reopen() {
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
