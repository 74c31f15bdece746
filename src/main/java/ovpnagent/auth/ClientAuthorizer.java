package ovpnagent.auth;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.config.AuthPolicy;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.protocol.ClientEnv;
import ovpnagent.routed.PoolExhaustedException;

/**
 * Answers {@code >CLIENT:CONNECT} and {@code >CLIENT:REAUTH} (openvpn.md §3.1) on a worker so the
 * reader thread never blocks: a common name refused by the {@link AuthPolicy} gets {@code
 * client-deny} with the policy's reason, an allowed one {@code client-auth} with the {@link
 * BodySource}'s lines, and any failure to decide (store down, exception) a {@code client-deny} with
 * a clear reason, so no client is left pending. The KID received is echoed.
 */
public final class ClientAuthorizer {
  private static final Logger log = LoggerFactory.getLogger(ClientAuthorizer.class);

  /** How an answer went on the wire. */
  public enum Outcome {
    /** {@code SUCCESS:} */
    SENT,
    /**
     * {@code ERROR: client-... command failed}: the CID/KID is gone (stale), not a protocol error.
     */
    CLIENT_GONE,
    /** Not sent: the connection epoch changed, or the connection failed. */
    NOT_SENT
  }

  /**
   * Writes the answer without waiting for the reply; implemented over the management client. The
   * future never fails: problems complete it with {@link Outcome#NOT_SENT}.
   */
  public interface Sender {
    /** Sends {@code client-auth CID KID} + body + {@code END} if {@code epoch} is still current. */
    CompletableFuture<Outcome> clientAuth(long epoch, long cid, long kid, List<String> body);

    /**
     * Sends {@code client-deny CID KID "reason" "clientReason"} if {@code epoch} is still current.
     */
    CompletableFuture<Outcome> clientDeny(
        long epoch, long cid, long kid, String reason, String clientReason);

    /**
     * Runs {@code answers}, whose sends may be written together when it returns (one write for a
     * burst); by default each send is written at once.
     */
    default void batch(Runnable answers) {
      answers.run();
    }
  }

  /**
   * Told about each allowed client (to record it in the router table); runs on the reader thread.
   */
  @FunctionalInterface
  public interface AllowListener {
    /** The client {@code (epoch, cid)} with this env was allowed. */
    void onAllowed(long epoch, long cid, ClientEnv env);
  }

  private final String instance;
  private final AuthPolicy policy;
  private final BodySource bodies;
  private final Sender sender;
  private final Executor worker;
  private final LongSupplier nanoTime;
  private final LatencyRecorder latency;
  private final AllowListener allowListener;
  private final LongAdder allowed;
  private final LongAdder denied;
  private final LongAdder deniedPolicy;
  private final LongAdder deniedPool;
  private final LongAdder deniedError;
  private final LongAdder stale;
  private final LongAdder notSent;
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> queue =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean draining =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** At most this many answers share one write, so the first of a burst is not held long. */
  static final int MAX_BATCH = 64;

  /**
   * A batch is written once its decisions have taken this long (decisions do not wait for the
   * store: an answer whose body is not ready yet is queued again when it is), so batching never
   * delays an answer by more than about a millisecond.
   */
  static final long MAX_BATCH_NANOS = 1_000_000;

  /**
   * Creates the authorizer.
   *
   * @param worker runs decisions and sends; must not be the reader thread
   * @param nanoTime monotonic clock for the connect-to-auth latency
   */
  public ClientAuthorizer(
      String instance,
      AuthPolicy policy,
      BodySource bodies,
      Sender sender,
      Executor worker,
      Metrics metrics,
      LatencyRecorder latency,
      LongSupplier nanoTime,
      AllowListener allowListener) {
    this.instance = instance;
    this.policy = policy;
    this.bodies = bodies;
    this.sender = sender;
    this.worker = worker;
    this.latency = latency;
    this.nanoTime = nanoTime;
    this.allowListener = allowListener;
    this.allowed = metrics.counter("mgmt.auth.allowed");
    this.denied = metrics.counter("mgmt.auth.denied");
    this.deniedPolicy = metrics.counter("mgmt.auth.denied.policy");
    this.deniedPool = metrics.counter("mgmt.auth.denied.pool_exhausted");
    this.deniedError = metrics.counter("mgmt.auth.denied.error");
    this.stale = metrics.counter("mgmt.auth.client_gone");
    this.notSent = metrics.counter("mgmt.auth.not_sent");
  }

  /**
   * Queues the answer to a CONNECT ({@code reauth} false) or REAUTH; returns at once.
   *
   * @param receivedNanos when the block was complete, on the {@code nanoTime} clock
   */
  public void submit(
      long epoch, long cid, long kid, ClientEnv env, boolean reauth, long receivedNanos) {
    queue.add(() -> answer(epoch, cid, kid, env, reauth, receivedNanos));
    scheduleDrain();
  }

  /** Starts a drain on the worker unless one is pending or running. */
  private void scheduleDrain() {
    if (!draining.compareAndSet(false, true)) {
      return;
    }
    try {
      worker.execute(this::drain);
    } catch (RejectedExecutionException e) {
      draining.set(false);
      int lost = 0;
      while (queue.poll() != null) {
        lost++;
      }
      log.error("event=auth_rejected_by_worker instance={} answers={}", instance, lost);
      notSent.add(lost);
    }
  }

  /**
   * Answers what is queued, up to {@link #MAX_BATCH} or {@link #MAX_BATCH_NANOS} per write (a burst
   * of CONNECTs, as after a restart, costs one write per batch instead of one per client), then
   * reschedules if more came.
   */
  private void drain() {
    try {
      sender.batch(
          () -> {
            Runnable t;
            long start = nanoTime.getAsLong();
            for (int n = 0;
                n < MAX_BATCH
                    && (n == 0 || nanoTime.getAsLong() - start < MAX_BATCH_NANOS)
                    && (t = queue.poll()) != null;
                n++) {
              try {
                t.run();
              } catch (RuntimeException e) {
                log.error("event=auth_task_failed instance={}", instance, e);
              }
            }
          });
    } finally {
      draining.set(false);
      if (!queue.isEmpty()) {
        scheduleDrain();
      }
    }
  }

  /**
   * Decides for one client: the policy at once, then the body (for a routed client, once its
   * address is durable). The future never fails; a failure to decide is a {@code Deny} with a clear
   * reason.
   */
  public CompletableFuture<AuthDecision> decide(String commonName, boolean reauth) {
    if (commonName == null || commonName.isEmpty()) {
      return CompletableFuture.completedFuture(
          new AuthDecision.Deny("no common name in client env", policy.denyReason(), "policy"));
    }
    CompletableFuture<List<String>> body;
    try {
      if (!policy.permits(commonName)) {
        return CompletableFuture.completedFuture(
            new AuthDecision.Deny(
                "common name '" + commonName + "' not permitted", policy.denyReason(), "policy"));
      }
      body = bodies.bodyFor(commonName, reauth);
      if (body == null) {
        throw new IllegalStateException("no client-auth body for '" + commonName + "'");
      }
    } catch (Exception e) {
      return CompletableFuture.completedFuture(cannotDecide(commonName, e));
    }
    if (body.isDone() && !body.isCompletedExceptionally()) {
      return CompletableFuture.completedFuture(new AuthDecision.Allow(body.join()));
    }
    return body.handle(
        (lines, e) ->
            e == null
                ? new AuthDecision.Allow(lines)
                : cannotDecide(commonName, e instanceof CompletionException ? e.getCause() : e));
  }

  private AuthDecision cannotDecide(String commonName, Throwable e) {
    if (e instanceof PoolExhaustedException) {
      return new AuthDecision.Deny(e.getMessage(), "address pool exhausted", "pool_exhausted");
    }
    log.error("event=auth_decision_failed instance={} cn={}", instance, commonName, e);
    return new AuthDecision.Deny(
        "agent cannot decide: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
        "temporary server error",
        "error");
  }

  /**
   * Decides, then answers: at once when the decision is ready (in the current batch), else when it
   * completes, queued behind the drain so answers that become ready together share one write.
   */
  private void answer(long epoch, long cid, long kid, ClientEnv env, boolean reauth, long t0) {
    CompletableFuture<AuthDecision> d = decide(env.commonName(), reauth);
    if (d.isDone()) {
      send(epoch, cid, kid, env, reauth, t0, d.join());
      return;
    }
    d.thenAccept(
        x -> {
          queue.add(() -> send(epoch, cid, kid, env, reauth, t0, x));
          scheduleDrain();
        });
  }

  private void send(
      long epoch, long cid, long kid, ClientEnv env, boolean reauth, long t0, AuthDecision d) {
    CompletableFuture<Outcome> sent;
    try {
      if (d instanceof AuthDecision.Allow a) {
        sent = sender.clientAuth(epoch, cid, kid, a.body());
      } else if (d instanceof AuthDecision.Deny n) {
        sent = sender.clientDeny(epoch, cid, kid, n.reason(), n.clientReason());
      } else {
        throw new IllegalStateException("unknown decision " + d);
      }
    } catch (RuntimeException e) {
      notSent.increment();
      log.error("event=auth_answer_failed instance={} cid={} kid={}", instance, cid, kid, e);
      return;
    }
    sent.whenComplete(
        (o, e) -> {
          try {
            done(epoch, cid, kid, env, reauth, t0, d, e == null ? o : Outcome.NOT_SENT);
          } catch (RuntimeException x) {
            log.error("event=auth_accounting_failed instance={} cid={}", instance, cid, x);
          }
        });
  }

  private void done(
      long epoch,
      long cid,
      long kid,
      ClientEnv env,
      boolean reauth,
      long t0,
      AuthDecision d,
      Outcome o) {
    long dt = nanoTime.getAsLong() - t0;
    if (o == Outcome.SENT) {
      latency.record(dt);
      if (d instanceof AuthDecision.Allow) {
        allowed.increment();
        allowListener.onAllowed(epoch, cid, env);
      } else if (d instanceof AuthDecision.Deny n) {
        denied.increment();
        switch (n.metric()) {
          case "pool_exhausted" -> deniedPool.increment();
          case "error" -> deniedError.increment();
          default -> deniedPolicy.increment();
        }
      }
    } else if (o == Outcome.CLIENT_GONE) {
      stale.increment();
    } else {
      notSent.increment();
    }
    // every auth decision is an operator event (who was admitted, who refused, why): INFO
    if (log.isInfoEnabled()) {
      String msg =
          "event=auth_answer instance={} epoch={} cid={} kid={} cn={} reauth={} decision={}"
              + " outcome={} latency_us={}";
      Object[] args = {
        instance,
        epoch,
        cid,
        kid,
        env.commonName(),
        reauth,
        d instanceof AuthDecision.Allow ? "allow" : "deny",
        o,
        dt / 1000
      };
      log.info(msg, args);
    }
  }
}
