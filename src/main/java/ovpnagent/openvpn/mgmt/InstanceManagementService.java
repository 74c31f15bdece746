package ovpnagent.openvpn.mgmt;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovpnagent.auth.AuthDecision;
import ovpnagent.auth.ClientAuthorizer;
import ovpnagent.auth.LatencyRecorder;
import ovpnagent.boot.Service;
import ovpnagent.config.InstanceConfig;
import ovpnagent.metrics.Metrics;
import ovpnagent.openvpn.mgmt.protocol.ClientEnv;
import ovpnagent.openvpn.mgmt.protocol.CommandResult;
import ovpnagent.openvpn.mgmt.protocol.MgmtCommands;
import ovpnagent.openvpn.mgmt.protocol.MgmtEvent;
import ovpnagent.openvpn.mgmt.protocol.MgmtProtocolException;
import ovpnagent.openvpn.mgmt.protocol.StatusSnapshot;
import ovpnagent.routed.PushReply;
import ovpnagent.routed.RoutedAllocator;
import ovpnagent.routed.Topology;
import ovpnagent.store.RoutedAddressStore;
import ovpnagent.util.Ipv4;

/**
 * The management side of one OpenVPN instance ({@code mgmt:<instance>}): a {@link
 * ManagementClient}, a {@link ClientAuthorizer} answering every CONNECT/REAUTH, a {@link
 * RouterTable} of connected routers and, for routed-TUN instances, a {@link RoutedAllocator}
 * pushing sticky addresses. Decisions, releases and listener calls run on one worker thread, in
 * event order; the reader thread only parses and hands off.
 */
public final class InstanceManagementService implements Service {
  private static final Logger log = LoggerFactory.getLogger(InstanceManagementService.class);

  /**
   * How long after it appeared a {@code status 3} row may still be a client waiting for an answer
   * to a CONNECT the agent never saw (OpenVPN's {@code hand-window} is 60 s by default).
   */
  static final Duration RESUME_WINDOW = Duration.ofSeconds(120);

  /**
   * How long routed-address writes are collected before they go to the store: a burst of CONNECTs
   * is answered first, then its records share a few commits (see {@link RoutedAllocator}).
   */
  static final Duration ROUTED_WRITE_BEHIND = Duration.ofMillis(20);

  /** The key ID of a client's first TLS session: the KID of its (lost) CONNECT. */
  static final long FIRST_KID = 1;

  private final InstanceConfig config;
  private final ManagementEndpoint endpoint;
  private final ManagementTransport transport;
  private final String topology;
  private final boolean bridged;
  private final RoutedAddressStore store;
  private final Metrics metrics;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ManagementClient.Options options;
  private final RouterTable routers = new RouterTable();
  private final LatencyRecorder latency = new LatencyRecorder(4096);
  private volatile RouterListener routerListener = new RouterListener() {};
  private final Sender sender = new Sender();
  private ExecutorService worker;
  private RoutedAllocator allocator;
  private ClientAuthorizer authorizer;
  private ManagementClient client;

  /**
   * Creates the service for one instance (nothing connects before {@link #start()}).
   *
   * @param topology the instance's {@code topology} ({@code subnet}, {@code net30}, {@code p2p};
   *     null for the version default)
   * @param bridged true for bridged-TAP, false for routed-TUN
   * @param scheduler delays reconnect attempts
   */
  public InstanceManagementService(
      InstanceConfig config,
      ManagementEndpoint endpoint,
      String topology,
      boolean bridged,
      RoutedAddressStore store,
      Metrics metrics,
      Clock clock,
      ScheduledExecutorService scheduler) {
    this(
        config,
        endpoint,
        endpoint.transport(),
        topology,
        bridged,
        store,
        metrics,
        clock,
        scheduler,
        ManagementClient.Options.defaults());
  }

  /** Same, with an explicit transport and client options (tests). */
  public InstanceManagementService(
      InstanceConfig config,
      ManagementEndpoint endpoint,
      ManagementTransport transport,
      String topology,
      boolean bridged,
      RoutedAddressStore store,
      Metrics metrics,
      Clock clock,
      ScheduledExecutorService scheduler,
      ManagementClient.Options options) {
    this.config = config;
    this.endpoint = endpoint;
    this.transport = transport;
    this.topology = topology;
    this.bridged = bridged;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.scheduler = scheduler;
    this.options = options;
  }

  private volatile long stateSince;

  @Override
  public String name() {
    return "mgmt:" + config.name();
  }

  /**
   * Registers the listener for router changes (bridged instances); call before {@link #start()}.
   */
  public void setRouterListener(RouterListener listener) {
    this.routerListener = listener;
  }

  @Override
  public void start() {
    Secret password =
        endpoint != null && endpoint.passwordFile() != null
            ? Secret.readFirstLine(endpoint.passwordFile())
            : null;
    if (!bridged) {
      if (config.routedPool() == null) {
        throw new IllegalStateException(
            "instance " + config.name() + " is routed-tun but has no routed.pool");
      }
      Duration grace = config.releaseGrace() == null ? Duration.ZERO : config.releaseGrace();
      allocator =
          new RoutedAllocator(
              config.name(),
              config.routedPool(),
              Topology.of(topology, false),
              store,
              grace,
              clock,
              Duration.ofSeconds(2),
              CompletableFuture.delayedExecutor(
                  ROUTED_WRITE_BEHIND.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
      metrics.gauge("mgmt." + config.name() + ".routed.reserved", allocator::reserved);
      metrics.gauge("mgmt." + config.name() + ".routed.save_failures", allocator::saveFailures);
    }
    worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "mgmt-auth-" + config.name());
              t.setDaemon(true);
              return t;
            });
    authorizer =
        new ClientAuthorizer(
            config.name(),
            config.auth(),
            (cn, reauth) ->
                allocator == null
                    ? CompletableFuture.completedFuture(config.push())
                    : allocator
                        .allocateAsync(cn)
                        .thenApply(a -> PushReply.render(a, config.push())),
            sender,
            worker,
            metrics,
            latency,
            System::nanoTime,
            this::allowed);
    metrics.gauge(
        "mgmt." + config.name() + ".connect_to_auth.p50_us", () -> latency.percentile(0.5) / 1000);
    metrics.gauge(
        "mgmt." + config.name() + ".connect_to_auth.p99_us", () -> latency.percentile(0.99) / 1000);
    metrics.gauge("mgmt." + config.name() + ".clients", routers::size);
    client =
        new ManagementClient(
            config.name(), transport, password, new Events(), options, scheduler, metrics);
    client.start();
    log.info(
        "event=mgmt_service_started instance={} endpoint={} mode={} topology={}",
        config.name(),
        transport.describe(),
        bridged ? "bridged-tap" : "routed-tun",
        bridged ? "-" : allocator.topology());
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    if (worker != null) {
      worker.shutdownNow();
    }
    if (allocator != null) {
      allocator.flushWrites(); // the store closes after this service
    }
  }

  /** When the management connection last came up or went down (epoch ms), 0 if never. */
  public long stateSince() {
    return stateSince;
  }

  /** True while the management connection is up. */
  public boolean isConnected() {
    ManagementClient c = client;
    return c != null && c.isConnected();
  }

  /** The instance's name. */
  public String instanceName() {
    return config.name();
  }

  /** True for a bridged-TAP instance. */
  public boolean bridged() {
    return bridged;
  }

  /** The management client (for the console pass-through and tests). */
  public ManagementClient client() {
    return client;
  }

  /** The connected routers. */
  public RouterTable routers() {
    return routers;
  }

  /** The routed allocator, or null for a bridged instance. */
  public RoutedAllocator allocator() {
    return allocator;
  }

  /** CONNECT-to-answer latencies of this instance. */
  public LatencyRecorder authLatency() {
    return latency;
  }

  private void allowed(long epoch, long cid, ClientEnv env) {
    RouterTable.Router r =
        new RouterTable.Router(epoch, cid, env.commonName(), nz(env.realAddress()));
    routers.put(r);
    if (bridged) {
      onWorker(() -> notifyUp(r));
    }
  }

  private void notifyUp(RouterTable.Router r) {
    if (bridged) {
      try {
        routerListener.onRouterUp(r);
      } catch (RuntimeException e) {
        log.error("event=router_listener_failed instance={} phase=up", config.name(), e);
      }
    }
  }

  private void gone(String cn) {
    if (allocator != null) {
      allocator.release(cn);
    }
    if (bridged) {
      try {
        routerListener.onRouterGone(cn);
      } catch (RuntimeException e) {
        log.error("event=router_listener_failed instance={} phase=gone", config.name(), e);
      }
    }
    log.info("event=router_gone instance={} cn={}", config.name(), cn);
  }

  private void onWorker(Runnable r) {
    try {
      worker.execute(
          () -> {
            try {
              r.run();
            } catch (RuntimeException e) {
              log.error("event=mgmt_worker_task_failed instance={}", config.name(), e);
            }
          });
    } catch (RuntimeException e) {
      log.warn("event=mgmt_worker_rejected instance={}", config.name());
    }
  }

  private void adopt(StatusSnapshot.ClientRow c) {
    if (c.virtualAddress().isEmpty()) {
      return;
    }
    try {
      if (allocator.adopt(c.commonName(), Ipv4.parse(c.virtualAddress()))) {
        log.info(
            "event=routed_adopted instance={} cn={} ip={}",
            config.name(),
            c.commonName(),
            c.virtualAddress());
      }
    } catch (IllegalArgumentException e) {
      log.debug("event=routed_adopt_skipped instance={} cn={}", config.name(), c.commonName());
    }
  }

  /**
   * Answers clients whose CONNECT went out while no agent was attached (openvpn.md §1 fact 5: it is
   * never replayed, the client would wait for {@code hand-window} and retry). Such a client is
   * already in {@code status 3}; it is sent {@code client-auth CID 1} if the policy allows its
   * name. Only recent rows are tried, and for routed instances only rows without an address yet;
   * for a client that is in fact established OpenVPN accepts the answer and changes nothing, a
   * stale CID/KID gets {@code ERROR} (client gone). Denied names are left to time out.
   */
  private void resumePending(long epoch, StatusSnapshot status) {
    long now = clock.millis() / 1000;
    for (StatusSnapshot.ClientRow c : status.clients()) {
      long age = now - c.connectedSince();
      if (c.cid() < 0
          || c.connectedSince() <= 0
          || age < 0
          || age > RESUME_WINDOW.toSeconds()
          || (!bridged && !c.virtualAddress().isEmpty())) {
        continue;
      }
      authorizer
          .decide(c.commonName(), false)
          .thenAccept(
              d -> {
                if (d instanceof AuthDecision.Allow a) {
                  sender
                      .clientAuth(epoch, c.cid(), FIRST_KID, a.body())
                      .thenAccept(
                          o ->
                              log.info(
                                  "event=auth_resumed instance={} epoch={} cid={} kid={} cn={}"
                                      + " age_s={} outcome={}",
                                  config.name(),
                                  epoch,
                                  c.cid(),
                                  FIRST_KID,
                                  c.commonName(),
                                  age,
                                  o));
                }
              });
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** The client's listener: runs on the reader thread and only hands off. */
  private final class Events implements ManagementClient.Listener {
    @Override
    public void onDisconnected(long epoch) {
      stateSince = clock.millis();
    }

    @Override
    public void onEvent(long epoch, MgmtEvent ev) {
      long now = System.nanoTime();
      if (ev instanceof MgmtEvent.ClientConnect c) {
        authorizer.submit(epoch, c.cid(), c.kid(), c.env(), false, now);
      } else if (ev instanceof MgmtEvent.ClientReauth c) {
        authorizer.submit(epoch, c.cid(), c.kid(), c.env(), true, now);
      } else if (ev instanceof MgmtEvent.ClientEstablished e) {
        String cn = e.env().commonName();
        onWorker(
            () -> {
              String name =
                  cn != null
                      ? cn
                      : routers
                          .get(epoch, e.cid())
                          .map(RouterTable.Router::commonName)
                          .orElse(null);
              if (name != null) {
                RouterTable.Router r =
                    new RouterTable.Router(epoch, e.cid(), name, nz(e.env().realAddress()));
                routers.put(r);
              }
            });
      } else if (ev instanceof MgmtEvent.ClientDisconnect d) {
        onWorker(
            () -> {
              String cn =
                  routers
                      .remove(epoch, d.cid())
                      .map(RouterTable.Router::commonName)
                      .orElse(d.env().commonName());
              if (cn != null && !routers.hasCommonName(cn)) {
                gone(cn);
              }
            });
      } else if (ev instanceof MgmtEvent.ClientCrResponse
          || ev instanceof MgmtEvent.ClientAddress
          || ev instanceof MgmtEvent.Hold
          || ev instanceof MgmtEvent.Info
          || ev instanceof MgmtEvent.State
          || ev instanceof MgmtEvent.Log
          || ev instanceof MgmtEvent.Fatal
          || ev instanceof MgmtEvent.PasswordPrompt
          || ev instanceof MgmtEvent.Other) {
        log.debug(
            "event=mgmt_notification instance={} type={}",
            config.name(),
            ev.getClass().getSimpleName());
      } else {
        throw new IllegalStateException("unhandled event " + ev);
      }
    }

    @Override
    public void onConnected(long epoch, StatusSnapshot status) {
      stateSince = clock.millis();
      onWorker(
          () -> {
            List<RouterTable.Router> rows = new ArrayList<>();
            Set<String> cns = new HashSet<>();
            for (StatusSnapshot.ClientRow c : status.clients()) {
              cns.add(c.commonName());
              if (c.cid() >= 0) {
                rows.add(new RouterTable.Router(epoch, c.cid(), c.commonName(), c.realAddress()));
              }
            }
            for (String cn : routers.rebuild(epoch, rows)) {
              gone(cn);
            }
            if (allocator != null) {
              // reconcile first: a reservation of a name that is not connected must not keep a
              // connected client from adopting its own address
              allocator.reconcile(cns);
              for (StatusSnapshot.ClientRow c : status.clients()) {
                adopt(c);
              }
            }
            resumePending(epoch, status);
            if (bridged) {
              rows.forEach(InstanceManagementService.this::notifyUp);
              try {
                routerListener.onRoutingTable(epoch, status.routes());
              } catch (RuntimeException e) {
                log.error(
                    "event=router_listener_failed instance={} phase=routes", config.name(), e);
              }
            }
            log.info(
                "event=mgmt_resync instance={} epoch={} clients={} routes={} skipped_rows={}",
                config.name(),
                epoch,
                status.clients().size(),
                status.routes().size(),
                status.skippedRows());
          });
    }

    @Override
    public void onEpochChanged(long epoch) {
      onWorker(
          () -> {
            for (String cn : routers.dropBefore(epoch)) {
              gone(cn);
            }
          });
    }
  }

  /** Sends answers through the client, only while the epoch is unchanged. */
  private final class Sender implements ClientAuthorizer.Sender {
    @Override
    public CompletableFuture<ClientAuthorizer.Outcome> clientAuth(
        long epoch, long cid, long kid, List<String> body) {
      List<String> lines;
      try {
        lines = MgmtCommands.clientAuth(cid, kid, body);
      } catch (MgmtProtocolException e) {
        log.error(
            "event=auth_body_invalid instance={} cid={} error=\"{}\"",
            config.name(),
            cid,
            e.getMessage());
        return clientDeny(
            epoch,
            cid,
            kid,
            "agent produced an invalid client-auth body",
            "temporary server error");
      }
      return send(epoch, lines);
    }

    @Override
    public CompletableFuture<ClientAuthorizer.Outcome> clientDeny(
        long epoch, long cid, long kid, String reason, String clientReason) {
      return send(epoch, List.of(MgmtCommands.clientDeny(cid, kid, reason, clientReason)));
    }

    @Override
    public void batch(Runnable answers) {
      if (client == null) {
        answers.run();
      } else {
        client.batch(answers);
      }
    }

    private CompletableFuture<ClientAuthorizer.Outcome> send(long epoch, List<String> lines) {
      if (client.epoch() != epoch) {
        log.warn(
            "event=auth_answer_stale_epoch instance={} command=\"{}\" epoch={} current={}",
            config.name(),
            lines.get(0),
            epoch,
            client.epoch());
        return CompletableFuture.completedFuture(ClientAuthorizer.Outcome.NOT_SENT);
      }
      return client
          .commandAsync(lines, CommandResult.Kind.SINGLE_LINE)
          .handle(
              (r, e) -> {
                if (e == null) {
                  return ClientAuthorizer.Outcome.SENT;
                }
                Throwable cause =
                    e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                if (cause instanceof ManagementCommandException mce) {
                  log.info(
                      "event=auth_client_gone instance={} command=\"{}\" response=\"{}\"",
                      config.name(),
                      lines.get(0),
                      mce.response());
                  return ClientAuthorizer.Outcome.CLIENT_GONE;
                }
                log.warn(
                    "event=auth_answer_not_sent instance={} command=\"{}\" error=\"{}\"",
                    config.name(),
                    lines.get(0),
                    cause.getMessage());
                return ClientAuthorizer.Outcome.NOT_SENT;
              });
    }
  }
}
