package ovpnagent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import ovpnagent.config.AuthPolicy;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.protocol.ClientEnv;
import ovpnagent.routed.PoolExhaustedException;
import ovpnagent.store.StoreException;

class ClientAuthorizerTest {
  private final Metrics metrics = new Metrics();
  private final List<String> sent = new ArrayList<>();
  private ClientAuthorizer.Outcome outcome = ClientAuthorizer.Outcome.SENT;

  private final ClientAuthorizer.Sender sender =
      new ClientAuthorizer.Sender() {
        @Override
        public CompletableFuture<ClientAuthorizer.Outcome> clientAuth(
            long epoch, long cid, long kid, List<String> body) {
          sent.add("auth " + epoch + " " + cid + " " + kid + " " + body);
          return CompletableFuture.completedFuture(outcome);
        }

        @Override
        public CompletableFuture<ClientAuthorizer.Outcome> clientDeny(
            long epoch, long cid, long kid, String reason, String clientReason) {
          sent.add("deny " + cid + " " + kid + " " + reason + " / " + clientReason);
          return CompletableFuture.completedFuture(outcome);
        }
      };

  private ClientAuthorizer authorizer(BodySource body) {
    return new ClientAuthorizer(
        "server",
        new AuthPolicy(List.of("router-*"), List.of("router-bad"), "not authorized"),
        body,
        sender,
        Runnable::run,
        metrics,
        new LatencyRecorder(16),
        System::nanoTime,
        (e, c, env) -> {});
  }

  /** Drains the queued authorizers scheduled (a test runs them by hand). */
  private final List<Runnable> tasks = new ArrayList<>();

  /** An authorizer whose answers run as queued {@code tasks}, allowing router-* ("no" else). */
  private ClientAuthorizer queued(
      BodySource body, ClientAuthorizer.Sender out, java.util.function.LongSupplier clock) {
    return new ClientAuthorizer(
        "server",
        new AuthPolicy(List.of("router-*"), List.of(), "no"),
        body,
        out,
        tasks::add,
        metrics,
        new LatencyRecorder(16),
        clock,
        (e, c, env) -> {});
  }

  /** The recording sender, noting how many answers each batch wrote. */
  private ClientAuthorizer.Sender batching(List<Integer> batchSizes) {
    return new ClientAuthorizer.Sender() {
      @Override
      public CompletableFuture<ClientAuthorizer.Outcome> clientAuth(
          long epoch, long cid, long kid, List<String> body) {
        return sender.clientAuth(epoch, cid, kid, body);
      }

      @Override
      public CompletableFuture<ClientAuthorizer.Outcome> clientDeny(
          long epoch, long cid, long kid, String reason, String clientReason) {
        return sender.clientDeny(epoch, cid, kid, reason, clientReason);
      }

      @Override
      public void batch(Runnable answers) {
        int before = sent.size();
        answers.run();
        batchSizes.add(sent.size() - before);
      }
    };
  }

  private static CompletableFuture<List<String>> done(List<String> body) {
    return CompletableFuture.completedFuture(body);
  }

  private static ClientEnv env(String cn) {
    return ClientEnv.of(Map.of("common_name", cn));
  }

  @Test
  void allowedGetsTheBodyAndTheKidIsEchoed() {
    authorizer((cn, re) -> done(List.of("ifconfig-push 198.19.128.2 255.255.255.0")))
        .submit(1, 4, 9, env("router-a"), false, System.nanoTime());
    assertEquals(List.of("auth 1 4 9 [ifconfig-push 198.19.128.2 255.255.255.0]"), sent);
    assertEquals(1, metrics.get("mgmt.auth.allowed"));
  }

  @Test
  void policyDenies() {
    ClientAuthorizer a = authorizer((cn, re) -> done(List.of()));
    a.submit(1, 1, 1, env("router-bad"), false, 0);
    a.submit(1, 2, 1, env("other"), true, 0);
    a.submit(1, 3, 1, ClientEnv.empty(), false, 0);
    assertEquals(3, metrics.get("mgmt.auth.denied.policy"));
    assertEquals("deny 1 1 common name 'router-bad' not permitted / not authorized", sent.get(0));
    assertEquals("deny 3 1 no common name in client env / not authorized", sent.get(2));
  }

  @Test
  void poolExhaustedAndStoreFailureDenyWithAClearReason() {
    authorizer(
            (cn, re) -> {
              throw new PoolExhaustedException("routed pool 198.19.128.0/30 exhausted");
            })
        .submit(1, 1, 1, env("router-a"), false, 0);
    authorizer(
            (cn, re) -> {
              throw new StoreException("db down", null);
            })
        .submit(1, 2, 1, env("router-a"), false, 0);
    assertEquals(
        "deny 1 1 routed pool 198.19.128.0/30 exhausted / address pool exhausted", sent.get(0));
    assertTrue(
        sent.get(1).startsWith("deny 2 1 agent cannot decide: StoreException: db down"),
        sent.get(1));
    assertEquals(1, metrics.get("mgmt.auth.denied.pool_exhausted"));
    assertEquals(1, metrics.get("mgmt.auth.denied.error"));
    assertInstanceOf(
        AuthDecision.Deny.class,
        authorizer(
                (cn, re) -> {
                  throw new IllegalStateException("bug");
                })
            .decide("router-a", false)
            .join());
    assertInstanceOf(
        AuthDecision.Deny.class,
        authorizer((cn, re) -> null).decide("router-a", false).join(),
        "a body source that returns nothing denies, never leaves the client pending");
  }

  @Test
  void clientGoneIsCountedNotFatal() {
    outcome = ClientAuthorizer.Outcome.CLIENT_GONE;
    authorizer((cn, re) -> done(List.of())).submit(1, 1, 1, env("router-a"), false, 0);
    assertEquals(1, metrics.get("mgmt.auth.client_gone"));
    assertEquals(0, metrics.get("mgmt.auth.allowed"));
  }

  @Test
  void latencyPercentiles() {
    LatencyRecorder r = new LatencyRecorder(100);
    for (int i = 1; i <= 100; i++) {
      r.record(i);
    }
    assertEquals(50, r.percentile(0.5));
    assertEquals(99, r.percentile(0.99));
    assertEquals(0, new LatencyRecorder(4).percentile(0.5));
  }

  @Test
  void aBurstIsAnsweredInBatchesOfAtMostMaxBatchInArrivalOrder() {
    List<Integer> batchSizes = new ArrayList<>();
    ClientAuthorizer.Sender batching = batching(batchSizes);
    ClientAuthorizer a = queued((cn, re) -> done(List.of()), batching, () -> 0L);
    int n = ClientAuthorizer.MAX_BATCH + 10;
    for (int i = 0; i < n; i++) {
      a.submit(1, i, 1, env("router-" + i), false, 0);
    }
    assertEquals(1, tasks.size(), "one drain for the whole burst");
    tasks.remove(0).run();
    assertEquals(List.of(ClientAuthorizer.MAX_BATCH), batchSizes);
    assertEquals(1, tasks.size(), "the rest is drained by a second run");
    tasks.remove(0).run();
    assertEquals(List.of(ClientAuthorizer.MAX_BATCH, 10), batchSizes);
    assertTrue(tasks.isEmpty());
    for (int i = 0; i < n; i++) {
      assertEquals("auth 1 " + i + " 1 []", sent.get(i));
    }
    assertEquals(n, metrics.get("mgmt.auth.allowed"));
    a.submit(1, 99, 1, env("router-99"), false, 0);
    assertEquals(1, tasks.size(), "a later CONNECT schedules a new drain");
  }

  @Test
  void slowDecisionsEndABatchAfterAboutAMillisecond() {
    List<Integer> batchSizes = new ArrayList<>();
    long[] now = {0};
    ClientAuthorizer.Sender batching = batching(batchSizes);
    ClientAuthorizer a =
        queued(
            (cn, re) -> {
              now[0] += 400_000; // each decision takes 0.4 ms
              return done(List.of());
            },
            batching,
            () -> now[0]);
    for (int i = 0; i < 7; i++) {
      a.submit(1, i, 1, env("router-" + i), false, 0);
    }
    while (!tasks.isEmpty()) {
      tasks.remove(0).run();
    }
    assertEquals(List.of(3, 3, 1), batchSizes);
    assertEquals(7, metrics.get("mgmt.auth.allowed"));
  }

  @Test
  void bodiesThatBecomeReadyLaterAreAnsweredTogetherAndAFailedOneIsDenied() {
    List<Integer> batchSizes = new ArrayList<>();
    Map<String, CompletableFuture<List<String>>> pending = new java.util.HashMap<>();
    ClientAuthorizer.Sender batching = batching(batchSizes);
    ClientAuthorizer a =
        queued(
            (cn, re) -> pending.computeIfAbsent(cn, k -> new CompletableFuture<>()),
            batching,
            () -> 0L);
    for (int i = 0; i < 3; i++) {
      a.submit(1, i, 1, env("router-" + i), false, 0);
    }
    tasks.remove(0).run();
    assertEquals(List.of(0), batchSizes, "nothing is answered before its body is ready");
    assertTrue(sent.isEmpty());
    // the store commits all three in one go (as the group-commit writer completes a batch)
    pending.get("router-0").complete(List.of("ifconfig-push 198.19.128.2 255.255.255.0"));
    pending.get("router-2").completeExceptionally(new StoreException("db down", null));
    pending.get("router-1").complete(List.of("ifconfig-push 198.19.128.3 255.255.255.0"));
    assertEquals(1, tasks.size(), "one drain for the answers that became ready");
    tasks.remove(0).run();
    assertEquals(List.of(0, 3), batchSizes, "written together");
    assertEquals("auth 1 0 1 [ifconfig-push 198.19.128.2 255.255.255.0]", sent.get(0));
    assertTrue(
        sent.get(1).startsWith("deny 2 1 agent cannot decide: StoreException: db down"),
        sent.get(1));
    assertEquals("auth 1 1 1 [ifconfig-push 198.19.128.3 255.255.255.0]", sent.get(2));
    assertEquals(2, metrics.get("mgmt.auth.allowed"));
    assertEquals(1, metrics.get("mgmt.auth.denied.error"));
  }
}
