package ovpnagent.routed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The ordered write-behind queue of a {@link RoutedAllocator}: store writes are collected and
 * submitted together a little later (on {@code later}), so a burst of CONNECTs is answered before
 * its records compete with it for the CPU, and then share the store's commits. Every write, queued
 * or {@linkplain #now immediate}, is submitted under one lock in the order it was asked for, so a
 * later change to a name never reaches the store before an earlier one. A write only submits to the
 * store (which never blocks); failures are handled by the write itself. Thread-safe.
 */
final class WriteBehind {
  private final Executor later;
  private final List<Runnable> pending = new ArrayList<>();
  private boolean scheduled;

  /**
   * Creates the queue.
   *
   * @param later runs the flush some time after the first queued write; {@code null} submits every
   *     write at once
   */
  WriteBehind(Executor later) {
    this.later = later;
  }

  /** Queues {@code write}; the first write of a batch schedules the flush. */
  synchronized void add(Runnable write) {
    if (later == null) {
      write.run();
      return;
    }
    pending.add(write);
    if (!scheduled) {
      scheduled = true;
      try {
        later.execute(this::flush);
      } catch (RejectedExecutionException e) {
        flush();
      }
    }
  }

  /**
   * Submits everything queued, then {@code write}, before anything queued after this call; returns
   * what {@code write} returned.
   */
  synchronized <T> T now(java.util.function.Supplier<T> write) {
    flush();
    return write.get();
  }

  /** True if writes are collected and submitted later, false if each is submitted at once. */
  boolean deferred() {
    return later != null;
  }

  /** Submits everything queued now (also at shutdown, before the store closes). */
  synchronized void flush() {
    scheduled = false;
    if (pending.isEmpty()) {
      return;
    }
    List<Runnable> writes = new ArrayList<>(pending);
    pending.clear();
    for (Runnable w : writes) {
      w.run();
    }
  }

  /** Writes queued and not yet submitted. */
  synchronized int pending() {
    return pending.size();
  }
}
