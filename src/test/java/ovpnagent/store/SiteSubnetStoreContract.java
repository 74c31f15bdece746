package ovpnagent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static ovpnagent.store.StoreTesting.done;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.util.Cidr;

/** What every {@link SiteSubnetStore} must do (style.md practice 10). */
abstract class SiteSubnetStoreContract {
  protected SiteSubnetStore store;

  protected abstract SiteSubnetStore open() throws Exception;

  /** Closes the storage behind {@link #store} and opens it again (in memory: the same store). */
  protected abstract SiteSubnetStore reopen() throws Exception;

  protected abstract void closeAll() throws Exception;

  @BeforeEach
  void setUpStore() throws Exception {
    store = open();
  }

  @AfterEach
  void tearDownStore() throws Exception {
    closeAll();
  }

  @Test
  void emptyAtFirst() {
    assertEquals(Map.of(), store.loadAll());
  }

  @Test
  void savedSubnetsLoadBackExactly() {
    done(store.save("router-a", Cidr.parse("198.19.4.0/24")));
    done(store.save("router-b", Cidr.parse("198.19.5.1/30")));
    assertEquals(
        Map.of("router-a", Cidr.parse("198.19.4.0/24"), "router-b", Cidr.parse("198.19.5.1/30")),
        store.loadAll());
  }

  @Test
  void saveReplacesTheRoutersSubnet() {
    done(store.save("router-a", Cidr.parse("198.19.4.0/24")));
    done(store.save("router-a", Cidr.parse("198.19.6.0/23")));
    assertEquals(Map.of("router-a", Cidr.parse("198.19.6.0/23")), store.loadAll());
  }

  @Test
  void survivesReopen() throws Exception {
    done(store.save("router-a", Cidr.parse("198.19.4.0/24")));
    store = reopen();
    assertEquals(Map.of("router-a", Cidr.parse("198.19.4.0/24")), store.loadAll());
  }
}
