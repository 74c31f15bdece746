package ovpnagent.store;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import ovpnagent.util.Cidr;

/**
 * Persistence of subnets carved automatically for routers from {@code sites.supernet}, so that a
 * router name keeps its subnet for ever.
 */
public interface SiteSubnetStore {
  CompletableFuture<Void> save(String router, Cidr subnet);

  Map<String, Cidr> loadAll();
}
