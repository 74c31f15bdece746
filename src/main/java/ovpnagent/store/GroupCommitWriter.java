package ovpnagent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of a JDBC store (group commit). Callers {@link #submit} changes into a bounded
 * queue and get a future; one thread takes the first waiting change, drains everything else queued
 * behind it (up to {@code maxBatch}), applies them in order in one transaction through reused,
 * batched prepared statements (skipping a keyed change that a later one in the batch replaces, see
 * {@link WriteOp}), commits once, and then completes every future of the batch. At low load a lone
 * change is committed at once (no waiting for company); under load many changes share one commit. A
 * failed batch is rolled back and fails every one of its futures with a {@link StoreException}; the
 * thread logs it and goes on with the next batch (reopening the connection if it broke). A full
 * queue fails the new change at once: {@link #submit} never blocks.
 *
 * <p>Futures are completed on the writer thread, so an action chained without an executor runs
 * there and delays the next batch: keep such actions short (sending one datagram is fine).
 */
final class GroupCommitWriter {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final Change WAKE = new Change(null, null);

  private record Change(WriteOp op, CompletableFuture<Void> future) {}

  private final ConnectionFactory connections;
  private final ArrayBlockingQueue<Change> queue;
  private final int capacity;
  private final int maxBatch;
  private final Thread thread;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong changes = new AtomicLong();
  private final AtomicLong failedCommits = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong largestBatch = new AtomicLong();
  private final AtomicLong coalesced = new AtomicLong();

  /** Shortest gap between commits while changes keep arriving together (see {@link #linger}). */
  static final long MIN_COMMIT_INTERVAL_NANOS = 4_000_000L;

  private long lastCommitNanos;
  private int lastBatchSize;
  private volatile boolean closing;
  private volatile boolean done;
  private Connection conn;

  /**
   * Starts the writer thread on {@code first} (a connection it now owns) and uses {@code
   * connections} to replace it if it breaks.
   */
  GroupCommitWriter(
      Connection first, ConnectionFactory connections, int capacity, int maxBatch, String name)
      throws SQLException {
    if (capacity < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("queue capacity and batch size must be positive");
    }
    first.setAutoCommit(false);
    this.conn = first;
    this.connections = connections;
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity + 1); // +1: room for the close wake-up
    this.maxBatch = maxBatch;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues a change; the future completes when it is committed or has failed. Never blocks. */
  CompletableFuture<Void> submit(WriteOp op) {
    if (closing) {
      return CompletableFuture.failedFuture(new StoreException("store is closed"));
    }
    Change c = new Change(op, new CompletableFuture<>());
    if (queue.size() >= capacity || !queue.offer(c)) {
      rejected.incrementAndGet();
      return CompletableFuture.failedFuture(
          new StoreException("store write queue full (" + capacity + " changes waiting)"));
    }
    if (done && queue.remove(c)) {
      // The writer finished between our check and our offer; nobody else will take it.
      c.future.completeExceptionally(new StoreException("store is closed"));
    }
    return c.future;
  }

  /** Counters so far. */
  StoreStats stats() {
    return new StoreStats(
        commits.get(),
        changes.get(),
        failedCommits.get(),
        rejected.get(),
        coalesced.get(),
        largestBatch.get(),
        Math.max(0, queue.size()));
  }

  /**
   * Stops accepting changes, lets the thread commit everything already queued, waits for it (up to
   * {@code waitMs}) and closes the connection. Idempotent.
   */
  void close(long waitMs) {
    closing = true;
    queue.offer(WAKE);
    try {
      thread.join(waitMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.error("event=store_writer_stuck waitMs={} queued={}", waitMs, queue.size());
    }
    done = true;
    failRemaining();
  }

  private void failRemaining() {
    List<Change> left = new ArrayList<>();
    queue.drainTo(left);
    for (Change c : left) {
      if (c.future != null) {
        c.future.completeExceptionally(new StoreException("store is closed"));
      }
    }
  }

  private void run() {
    List<Change> batch = new ArrayList<>();
    try {
      while (true) {
        Change first;
        try {
          first = queue.poll(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          log.warn("event=store_writer_interrupted queued={}", queue.size());
          break;
        }
        if (first == null || first == WAKE) {
          if (closing && queue.isEmpty()) {
            break;
          }
          continue;
        }
        batch.add(first);
        linger();
        queue.drainTo(batch, maxBatch - 1);
        try {
          process(batch);
        } catch (Throwable t) {
          // process() completes every future itself; this only keeps the thread alive.
          log.error("event=store_writer_error error={}", t.toString(), t);
        }
        batch.clear();
      }
    } finally {
      done = true;
      failRemaining();
      closeConnection();
      log.debug("event=store_writer_stopped commits={} changes={}", commits.get(), changes.get());
    }
  }

  /**
   * Under load (the previous batch had company) waits until {@link #MIN_COMMIT_INTERVAL_NANOS}
   * after the previous commit, so more changes share the next one. Every commit costs a new MVStore
   * chunk whose bookkeeping H2 keeps for its retention time (platform.md §7.4), so thousands of
   * small commits per second make each further commit slower; a lone change after a quiet spell (or
   * a caller that waits for each change before the next) is still committed at once.
   */
  private void linger() {
    if (lastBatchSize < 2 || MIN_COMMIT_INTERVAL_NANOS <= 0) {
      return;
    }
    long wait = lastCommitNanos + MIN_COMMIT_INTERVAL_NANOS - System.nanoTime();
    if (wait > 0 && queue.size() < maxBatch - 1) {
      LockSupport.parkNanos(wait);
    }
  }

  private void process(List<Change> batch) {
    List<Change> live = new ArrayList<>(batch.size());
    for (Change c : batch) {
      if (c != WAKE) {
        live.add(c);
      }
    }
    if (live.isEmpty()) {
      return;
    }
    try {
      apply(live);
    } catch (Throwable t) {
      failedCommits.incrementAndGet();
      log.error("event=store_commit_failed changes={} error={}", live.size(), t.toString());
      recover();
      StoreException ex =
          t instanceof StoreException se ? se : new StoreException("store commit failed: " + t, t);
      for (Change c : live) {
        c.future.completeExceptionally(ex);
      }
      return;
    }
    lastCommitNanos = System.nanoTime();
    lastBatchSize = live.size();
    commits.incrementAndGet();
    changes.addAndGet(live.size());
    largestBatch.accumulateAndGet(live.size(), Math::max);
    for (Change c : live) {
      c.future.complete(null);
    }
  }

  private void apply(List<Change> live) throws SQLException {
    if (conn == null) {
      conn = connections.open();
      conn.setAutoCommit(false);
      log.info("event=store_writer_reconnected");
    }
    boolean[] superseded = superseded(live);
    String currentSql = null;
    PreparedStatement current = null;
    int pending = 0;
    int skipped = 0;
    for (int i = 0; i < live.size(); i++) {
      if (superseded[i]) {
        skipped++;
        continue;
      }
      WriteOp op = live.get(i).op;
      if (!op.sql().equals(currentSql)) {
        if (pending > 0) {
          current.executeBatch();
          pending = 0;
        }
        current = statement(op.sql());
        currentSql = op.sql();
      }
      op.binder().bind(current);
      current.addBatch();
      pending++;
    }
    if (pending > 0) {
      current.executeBatch();
    }
    conn.commit();
    coalesced.addAndGet(skipped);
  }

  /** Marks keyed changes that a later change with the same key in the batch replaces. */
  private static boolean[] superseded(List<Change> live) {
    boolean[] out = new boolean[live.size()];
    if (live.size() < 2) {
      return out;
    }
    Set<Object> seen = new HashSet<>();
    for (int i = live.size() - 1; i >= 0; i--) {
      Object key = live.get(i).op.key();
      if (key != null && !seen.add(key)) {
        out[i] = true;
      }
    }
    return out;
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = conn.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** After a failed batch: clear pending batches and roll back, or drop a broken connection. */
  private void recover() {
    try {
      for (PreparedStatement ps : statements.values()) {
        ps.clearBatch();
      }
      if (conn != null) {
        conn.rollback();
        if (conn.isValid(2)) {
          return;
        }
      }
    } catch (SQLException | RuntimeException e) {
      log.warn("event=store_rollback_failed error={}", e.toString());
    }
    closeConnection();
  }

  private void closeConnection() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException | RuntimeException e) {
        log.debug("event=store_statement_close_failed error={}", e.toString());
      }
    }
    statements.clear();
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException | RuntimeException e) {
        log.warn("event=store_connection_close_failed error={}", e.toString());
      }
      conn = null;
    }
  }
}
