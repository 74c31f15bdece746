package ovpnagent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static ovpnagent.store.StoreTesting.done;
import static ovpnagent.store.StoreTesting.mac;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ovpnagent.util.HwAddr;

/** What every {@link MappingStore} must do (style.md practice 10). */
abstract class MappingStoreContract {
  protected MappingStore store;

  protected abstract MappingStore open() throws Exception;

  /** Closes the storage behind {@link #store} and opens it again (in memory: the same store). */
  protected abstract MappingStore reopen() throws Exception;

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
    assertEquals(Optional.empty(), store.routerOf(mac(1)));
  }

  @Test
  void putRecordsAndReplacesTheRouter() {
    done(store.put(mac(1), "router-a", 1));
    assertEquals(Optional.of("router-a"), store.routerOf(mac(1)));
    done(store.put(mac(1), "router-b", 2));
    assertEquals(Optional.of("router-b"), store.routerOf(mac(1)));
    assertEquals(Map.of(mac(1), "router-b"), store.loadAll());
  }

  @Test
  void macWithVlanSuffixIsTheSameMac() {
    done(store.put(HwAddr.parse("52:54:00:00:00:09@0"), "r", 1));
    assertEquals(Optional.of("r"), store.routerOf(HwAddr.parse("52-54-00-00-00-09")));
  }

  @Test
  void removeForgetsOneMac() {
    done(store.put(mac(1), "a", 1));
    done(store.put(mac(2), "a", 1));
    done(store.remove(mac(1)));
    done(store.remove(mac(3)));
    assertEquals(Map.of(mac(2), "a"), store.loadAll());
  }

  @Test
  void removeRouterForgetsOnlyThatRoutersMacs() {
    done(store.put(mac(1), "a", 1));
    done(store.put(mac(2), "b", 1));
    done(store.put(mac(3), "a", 1));
    done(store.removeRouter("a"));
    assertEquals(Map.of(mac(2), "b"), store.loadAll());
  }

  @Test
  void orderOfUnawaitedChangesIsKept() {
    var f1 = store.put(mac(1), "a", 1);
    var f2 = store.removeRouter("a");
    var f3 = store.put(mac(2), "a", 2);
    var f4 = store.put(mac(1), "b", 3);
    done(f1);
    done(f2);
    done(f3);
    done(f4);
    assertEquals(Map.of(mac(1), "b", mac(2), "a"), store.loadAll());
  }

  @Test
  void survivesReopen() throws Exception {
    done(store.put(mac(1), "a", 1));
    done(store.put(mac(2), "b", 1));
    store = reopen();
    assertEquals(Map.of(mac(1), "a", mac(2), "b"), store.loadAll());
  }
}
