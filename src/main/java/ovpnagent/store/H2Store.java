package ovpnagent.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open store database (an H2 JDBC URL, file or in-memory: the upserts use H2's {@code MERGE ...
 * KEY}, the tables are {@link Schema}'s) and the four stores on it, which share one {@link
 * GroupCommitWriter} (one writer thread, one transaction per group of changes) and one read
 * connection.
 *
 * <p>Opening migrates the schema ({@link Schema#migrate}). For a persistent H2 URL it makes sure
 * {@code WRITE_DELAY=0} is in effect (added to the URL, set, and verified in {@code
 * INFORMATION_SCHEMA.SETTINGS}), so a completed write survives {@code kill -9} of the agent (not a
 * power loss: H2 does not fsync each commit, platform.md §7.2). {@code RETENTION_TIME} is never
 * set. Only one process may open an embedded file at a time.
 */
public final class H2Store implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(H2Store.class);

  /**
   * Tuning of the writer.
   *
   * @param queueCapacity changes that may wait for the writer; more fail at once
   * @param maxBatch most changes committed in one transaction
   * @param closeWaitMs how long {@link #close} waits for queued changes to be committed
   */
  public record Options(int queueCapacity, int maxBatch, long closeWaitMs) {
    /** 16 384 waiting changes, up to 1 024 per commit, 10 s to drain on close. */
    public static final Options DEFAULTS = new Options(16_384, 1_024, 10_000);

    public Options {
      if (queueCapacity < 1 || maxBatch < 1 || closeWaitMs < 0) {
        throw new IllegalArgumentException("store options must be positive");
      }
    }
  }

  private final String logUrl;
  private final GroupCommitWriter writer;
  private final ReadConnection reader;
  private final H2LeaseStore leases;
  private final H2MappingStore mappings;
  private final H2RoutedAddressStore routed;
  private final H2SiteSubnetStore sites;
  private final long closeWaitMs;
  private boolean closed;

  private H2Store(String logUrl, GroupCommitWriter writer, ReadConnection reader, long waitMs) {
    this.logUrl = logUrl;
    this.writer = writer;
    this.reader = reader;
    this.closeWaitMs = waitMs;
    this.leases = new H2LeaseStore(writer, reader);
    this.mappings = new H2MappingStore(writer, reader);
    this.routed = new H2RoutedAddressStore(writer, reader);
    this.sites = new H2SiteSubnetStore(writer, reader);
  }

  /**
   * Page cache (KB) of an embedded file unless its URL sets {@code CACHE_SIZE} (H2's default is 64
   * MB): 100,000 leases need far less, and the agent must stay under 256 MB resident.
   */
  static final int DEFAULT_CACHE_KB = 16_384;

  /** Opens (creating or migrating) the store at {@code jdbcUrl} with default options. */
  public static H2Store open(String jdbcUrl) {
    return open(jdbcUrl, Options.DEFAULTS);
  }

  /**
   * Opens (creating or migrating) the store at {@code jdbcUrl}.
   *
   * @throws StoreException if the database cannot be opened (e.g. another process holds the file),
   *     its schema is newer than this build, or durability cannot be ensured
   */
  public static H2Store open(String jdbcUrl, Options options) {
    String url = H2Url.prepare(jdbcUrl);
    String logUrl = H2Url.forLog(url);
    ConnectionFactory factory = () -> DriverManager.getConnection(url);
    Connection first = null;
    try {
      long t0 = System.nanoTime();
      first = factory.open();
      int from = Schema.migrate(first);
      String delay = "n/a";
      if (H2Url.isPersistentH2(url)) {
        H2Url.ensureWriteDelayZero(first);
        delay = H2Url.writeDelay(first);
        if (H2Url.isEmbeddedFile(url) && !url.toUpperCase(Locale.ROOT).contains(";CACHE_SIZE=")) {
          try (Statement st = first.createStatement()) {
            st.execute("SET CACHE_SIZE " + DEFAULT_CACHE_KB);
          }
        }
      }
      GroupCommitWriter w =
          new GroupCommitWriter(
              first, factory, options.queueCapacity(), options.maxBatch(), "store-writer");
      first = null; // owned by the writer now
      H2Store store = new H2Store(logUrl, w, new ReadConnection(factory), options.closeWaitMs());
      log.info(
          "event=store_open url={} schemaFrom={} schema={} writeDelay={} ms={}",
          logUrl,
          from,
          Schema.VERSION,
          delay,
          (System.nanoTime() - t0) / 1_000_000);
      return store;
    } catch (SQLException e) {
      throw new StoreException("cannot open store " + logUrl + ": " + e.getMessage(), e);
    } finally {
      if (first != null) {
        try {
          first.close();
        } catch (SQLException e) {
          log.debug("event=store_open_cleanup_failed error={}", e.toString());
        }
      }
    }
  }

  /** The lease table. Its {@code close()} does nothing: whoever opened this store closes it. */
  public LeaseStore leases() {
    return leases;
  }

  /** The MAC → router table. */
  public MappingStore mappings() {
    return mappings;
  }

  /** The routed-client address table. */
  public RoutedAddressStore routed() {
    return routed;
  }

  /** The carved site subnet table. */
  public SiteSubnetStore sites() {
    return sites;
  }

  /** Writer counters (commits, changes, rejections) for metrics. */
  public StoreStats stats() {
    return writer.stats();
  }

  /** The value of an H2 setting from {@code INFORMATION_SCHEMA.SETTINGS}, or null. */
  String h2Setting(String name) {
    List<String> v =
        reader.query(
            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?",
            ps -> ps.setString(1, name),
            rs -> rs.getString(1));
    return v.isEmpty() ? null : v.get(0).trim();
  }

  /** Test hook: submits a raw change to the shared writer. */
  CompletableFuture<Void> submitRaw(WriteOp op) {
    return writer.submit(op);
  }

  /**
   * Stops accepting writes, commits every change already queued (completing its future), then
   * closes the database. Idempotent; never throws.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    writer.close(closeWaitMs);
    reader.close();
    StoreStats s = writer.stats();
    log.info(
        "event=store_closed url={} commits={} changes={} failedCommits={} rejected={}",
        logUrl,
        s.commits(),
        s.changes(),
        s.failedCommits(),
        s.rejected());
  }
}
