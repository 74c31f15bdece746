package ovpnagent.store;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.util.Cidr;

/**
 * The {@code site_subnet} table of an {@link H2Store}: the subnet carved for each router.
 *
 * <ul>
 *   <li><b>Start:</b> nothing is cached; the owner calls {@link #loadAll()} once. Rows with an
 *       unparsable CIDR are logged and skipped.
 *   <li><b>Each write:</b> queued to the store's single writer and committed together with whatever
 *       else is queued.
 *   <li><b>Durability:</b> as {@link H2LeaseStore}: a normally completed future means committed
 *       with {@code WRITE_DELAY=0}, surviving {@code kill -9}.
 * </ul>
 */
public final class H2SiteSubnetStore implements SiteSubnetStore {
  private static final Logger log = LoggerFactory.getLogger(H2SiteSubnetStore.class);

  static final String UPSERT = "MERGE INTO site_subnet (router, cidr) KEY (router) VALUES (?, ?)";

  private final GroupCommitWriter writer;
  private final ReadConnection reader;

  H2SiteSubnetStore(GroupCommitWriter writer, ReadConnection reader) {
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public CompletableFuture<Void> save(String router, Cidr subnet) {
    Objects.requireNonNull(router, "router");
    String cidr = Objects.requireNonNull(subnet, "subnet").toString();
    if (router.length() > Schema.MAX_TEXT) {
      return CompletableFuture.failedFuture(
          new StoreException("router name longer than " + Schema.MAX_TEXT));
    }
    return writer.submit(
        new WriteOp(
            UPSERT,
            ps -> {
              ps.setString(1, router);
              ps.setString(2, cidr);
            }));
  }

  @Override
  public Map<String, Cidr> loadAll() {
    Map<String, Cidr> out = new TreeMap<>();
    reader.query(
        "SELECT router, cidr FROM site_subnet",
        ps -> {},
        rs -> {
          String router = rs.getString(1);
          try {
            out.put(router, Cidr.parse(rs.getString(2)));
          } catch (IllegalArgumentException e) {
            log.warn("event=store_site_row_skipped router={} reason={}", router, e.getMessage());
          }
          return null;
        });
    return out;
  }
}
