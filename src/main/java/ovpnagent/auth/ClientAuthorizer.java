package ovpnagent.auth;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import ovpnagent.config.AuthPolicy;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.protocol.ClientEnv;
import ovpnagent.routed.PoolExhaustedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** {@code ERROR: client-... command failed}: the CID/KID is gone (stale), not a protocol error. */
    CLIENT_GONE,
    /** Not sent: the connection epoch changed, or the connection failed. */
    NOT_SENT
  }

  /** Writes the answer; implemented over the management client. */
  public interface Sender {
    /** Sends {@code client-auth CID KID} + body + {@code END} if {@code epoch} is still current. */
    Outcome clientAuth(long epoch, long cid, long kid, List<String> body);

    /** Sends {@code client-deny CID KID "reason" "clientReason"} if {@code epoch} is still current. */
    Outcome clientDeny(long epoch, long cid, long kid, String reason, String clientReason);
  }

  /** Told about each allowed client (to record it in the router table). */
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
  public void submit(long epoch, long cid, long kid, ClientEnv env, boolean reauth, long receivedNanos) {
    Runnable task = () -> answer(epoch, cid, kid, env, reauth, receivedNanos);
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      log.error("event=auth_rejected_by_worker instance={} cid={} kid={}", instance, cid, kid);
      notSent.increment();
    }
  }

  /** Decides for one client; never throws. */
  public AuthDecision decide(String commonName, boolean reauth) {
    if (commonName == null || commonName.isEmpty()) {
      return new AuthDecision.Deny("no common name in client env", policy.denyReason(), "policy");
    }
    try {
      if (!policy.permits(commonName)) {
        return new AuthDecision.Deny(
            "common name '" + commonName + "' not permitted", policy.denyReason(), "policy");
      }
      return new AuthDecision.Allow(bodies.bodyFor(commonName, reauth));
    } catch (PoolExhaustedException e) {
      return new AuthDecision.Deny(e.getMessage(), "address pool exhausted", "pool_exhausted");
    } catch (Exception e) {
      log.error("event=auth_decision_failed instance={} cn={}", instance, commonName, e);
      return new AuthDecision.Deny(
          "agent cannot decide: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          "temporary server error",
          "error");
    }
  }

  private void answer(long epoch, long cid, long kid, ClientEnv env, boolean reauth, long t0) {
    try {
      String cn = env.commonName();
      AuthDecision d = decide(cn, reauth);
      Outcome o;
      if (d instanceof AuthDecision.Allow a) {
        o = sender.clientAuth(epoch, cid, kid, a.body());
        if (o == Outcome.SENT) {
          allowed.increment();
          allowListener.onAllowed(epoch, cid, env);
        }
      } else if (d instanceof AuthDecision.Deny n) {
        o = sender.clientDeny(epoch, cid, kid, n.reason(), n.clientReason());
        if (o == Outcome.SENT) {
          denied.increment();
          switch (n.metric()) {
            case "pool_exhausted" -> deniedPool.increment();
            case "error" -> deniedError.increment();
            default -> deniedPolicy.increment();
          }
        }
      } else {
        throw new IllegalStateException("unknown decision " + d);
      }
      long dt = nanoTime.getAsLong() - t0;
      if (o == Outcome.SENT) {
        latency.record(dt);
      } else if (o == Outcome.CLIENT_GONE) {
        stale.increment();
      } else {
        notSent.increment();
      }
      log.info(
          "event=auth_answer instance={} epoch={} cid={} kid={} cn={} reauth={} decision={}"
              + " outcome={} latency_us={}",
          instance,
          epoch,
          cid,
          kid,
          cn,
          reauth,
          d instanceof AuthDecision.Allow ? "allow" : "deny",
          o,
          dt / 1000);
    } catch (RuntimeException e) {
      notSent.increment();
      log.error("event=auth_answer_failed instance={} cid={} kid={}", instance, cid, kid, e);
    }
  }
}
