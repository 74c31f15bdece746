package ovpnagent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static ovpnagent.store.StoreTesting.done;
import static ovpnagent.store.StoreTesting.ip;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.store.RoutedAddressStore.RoutedAddress;

/** What every {@link RoutedAddressStore} must do (style.md practice 10). */
abstract class RoutedAddressStoreContract {
  protected RoutedAddressStore store;

  protected abstract RoutedAddressStore open() throws Exception;

  /** Closes the storage behind {@link #store} and opens it again (in memory: the same store). */
  protected abstract RoutedAddressStore reopen() throws Exception;

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
    assertEquals(List.of(), store.loadAll("tun0"));
  }

  @Test
  void savedAddressesAreListedPerInstanceInAddressOrder() {
    RoutedAddress a = new RoutedAddress("tun0", "alice", ip("198.19.128.20"), 0);
    RoutedAddress b = new RoutedAddress("tun0", "bob", ip("198.19.128.10"), 123);
    RoutedAddress c = new RoutedAddress("tun1", "alice", ip("198.19.129.10"), 0);
    done(store.save(a));
    done(store.save(b));
    done(store.save(c));
    assertEquals(List.of(b, a), store.loadAll("tun0"));
    assertEquals(List.of(c), store.loadAll("tun1"));
    assertEquals(List.of(), store.loadAll("tun2"));
  }

  @Test
  void saveReplacesTheAddressOfTheSameName() {
    done(store.save(new RoutedAddress("tun0", "alice", ip("198.19.128.20"), 0)));
    RoutedAddress released = new RoutedAddress("tun0", "alice", ip("198.19.128.21"), 99);
    done(store.save(released));
    assertEquals(List.of(released), store.loadAll("tun0"));
  }

  @Test
  void removeForgetsOnlyThatName() {
    RoutedAddress a = new RoutedAddress("tun0", "alice", ip("198.19.128.20"), 0);
    RoutedAddress b = new RoutedAddress("tun1", "alice", ip("198.19.128.20"), 0);
    done(store.save(a));
    done(store.save(b));
    done(store.remove("tun0", "alice"));
    done(store.remove("tun0", "nobody"));
    assertEquals(List.of(), store.loadAll("tun0"));
    assertEquals(List.of(b), store.loadAll("tun1"));
  }

  @Test
  void survivesReopen() throws Exception {
    RoutedAddress a = new RoutedAddress("tun0", "alice", ip("198.19.128.20"), 42);
    done(store.save(a));
    store = reopen();
    assertEquals(List.of(a), store.loadAll("tun0"));
  }
}
