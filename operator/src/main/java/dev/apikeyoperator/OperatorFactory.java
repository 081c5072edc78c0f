package dev.apikeyoperator;

import dev.apikeyoperator.informercache.CachedApiKeys;
import dev.apikeyoperator.informercache.NotesKeepingCloner;
import dev.apikeyoperator.informercache.StrippedItemStore;
import dev.apikeyoperator.status.EventRecorder;
import dev.apikeyoperator.ledger.LedgerSeal;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.ops.Tracing;
import dev.apikeyoperator.ops.VendorMetricsInterceptor;
import dev.apikeyoperator.pacing.Pacing;
import dev.apikeyoperator.provider.CredentialHold;
import dev.apikeyoperator.provider.Endpoints;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.reconciler.ApiKeyReconciler;
import dev.apikeyoperator.reconciler.ProviderReconciler;
import dev.apikeyoperator.issuer.fme.FmeClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.processing.Controller;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import java.util.function.Supplier;

/**
 * Builds the operator: the Kubernetes client, the ledger seal, the vendor connections and pacing, the reconcilers, and
 * the JOSDK Operator they are registered with (not started). Used by the main class, the tests and the sandbox.
 */
public final class OperatorFactory {
  private OperatorFactory() {}

  public static Operator create(KubernetesClient client, OperatorSettings settings) {
    return create(client, settings, new OperatorMetrics());
  }

  /** The ledger seal key is kept in the Lease's namespace, if any, else where docs/design/ledger.md says. */
  public static Operator create(KubernetesClient client, OperatorSettings settings, OperatorMetrics metrics) {
    return create(client, settings, metrics, Tracing.off());
  }

  /** With trace spans of every reconcile and vendor call (docs/reference/metrics.md: OTEL_EXPORTER_OTLP_ENDPOINT). */
  public static Operator create(KubernetesClient client, OperatorSettings settings, OperatorMetrics metrics,
      Tracing tracing) {
    return create(client, settings, metrics, LedgerSeal.bootstrap(client,
        settings.leaderElection().map(LeaderElection::leaseNamespace).orElse(null)), tracing);
  }

  /** With the ledger seal key (docs/design/ledger.md) read or created in the operator's namespace by the caller. */
  public static Operator create(KubernetesClient client, OperatorSettings settings, OperatorMetrics metrics,
      LedgerSeal seal, Tracing tracing) {
    return create(client, settings, metrics, () -> seal, tracing);
  }

  /**
   * With the ledger seal key asked for only once everything that does not need it is built, so that the caller can
   * read it from the API server meanwhile (start-up, docs/design/memory-and-startup.md).
   */
  public static Operator create(KubernetesClient client, OperatorSettings settings, OperatorMetrics metrics,
      Supplier<LedgerSeal> seal, Tracing tracing) {
    settings.leaderElection().ifPresent(le -> metrics.leading(false));
    // No server-side apply anywhere (docs/concepts/guarantees.md 6): status goes as a JSON patch to /status.
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withCloseClientOnStop(false)
          .withResourceCloner(new NotesKeepingCloner(client.getKubernetesSerialization()))
          .withMetrics(tracing.around(MicrometerMetrics.withoutPerResourceMetrics(metrics.registry())));
      settings.leaderElection().ifPresent(le -> o.withLeaderElectionConfiguration(
          LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LeaderElection.LEASE_NAME)
              .withLeaseNamespace(le.leaseNamespace())
              .withIdentity(le.identity())
              .withLeaseDuration(le.leaseDuration())
              .withRenewDeadline(le.leaseDuration().multipliedBy(2).dividedBy(3))
              .withRetryPeriod(le.leaseDuration().dividedBy(7))
              .withExitOnStopLeading(le.exitOnStopLeading())
              .withLeaderCallbacks(new LeaderCallbacks(() -> metrics.leading(true), () -> metrics.leading(false),
                  leader -> { }))
              .build()));
    });
    // The call timeout is the transport's deadline for every vendor call (docs/reference/settings.md:
    // VENDOR_CALL_DEADLINE).
    var http = FmeClient.defaultHttpClient(settings.vendorConnectTimeout(), settings.vendorReadTimeout()).newBuilder()
        .callTimeout(settings.vendorCallDeadline()).build();
    var connections = new VendorConnections(client,
        vendor -> http.newBuilder().addInterceptor(new VendorMetricsInterceptor(metrics, vendor.name(), tracing))
            .build(),
        settings.clock(), settings.directoryTtl(), new Endpoints(settings.vendorHosts()),
        new Pacing(settings.reconcilesPerNamespace(), settings.clock()));
    var events = new EventRecorder(client, settings.clock());
    var apiKeys = new ApiKeyReconciler(client, connections, events, metrics, settings.clock(), seal.get());
    RegisteredController<ApiKey> registered = operator.register(apiKeys, c -> {
      namespaces(c, settings);
      // The cache keeps each ApiKey without what the operator never reads (docs/design/memory-and-startup.md).
      c.withItemStore(new StrippedItemStore<>(CachedApiKeys::strip));
      c.withOnUpdateFilter(apiKeys::worthReconciling);
    });
    // JOSDK hands a controller's event-source registry to its reconciles only; the registered controller owns it.
    apiKeys.registerWorkloadInformersWith(((Controller<ApiKey>) registered).getEventSourceManager());
    operator.register(new ProviderReconciler.Namespaced(connections, events, metrics, settings.clock(),
        settings.providerRecheckInterval(), new CredentialHold(client)), c -> namespaces(c, settings));
    operator.register(new ProviderReconciler.Cluster(connections, events, metrics, settings.clock(),
        settings.providerRecheckInterval()));
    return operator;
  }

  /** The Kubernetes client of the current kubeconfig or the in-cluster config, with {@link #serialization()}. */
  public static KubernetesClient client() {
    return new KubernetesClientBuilder().withKubernetesSerialization(serialization()).build();
  }

  /**
   * fabric8's JSON mapping without its class-path scan: by default the first response parsed loads and instantiates
   * every model class of every API group on the class path (some hundreds, a large share of the start-up time;
   * docs/design/memory-and-startup.md). Typed calls and typed watches need no registry (a watch converts what it does not
   * know to the watched type); a watch's error event does: its Status must be recognised to re-list after 410
   * Gone. The kinds the operator watches are registered too, so their events are read once, not read and converted.
   */
  public static KubernetesSerialization serialization() {
    KubernetesSerialization serialization = new KubernetesSerialization(new ObjectMapper(), false);
    for (Class<? extends KubernetesResource> kind : List.of(Status.class, Secret.class, Namespace.class, ApiKey.class,
        ApiKeyProvider.class, ClusterApiKeyProvider.class)) {
      serialization.registerKubernetesResource(kind);
    }
    return serialization;
  }

  /**
   * The ledger seal key, read (or created) in {@code namespace} on a thread of its own while the rest is wired; that
   * first API call warms up the HTTP client meanwhile (start-up).
   */
  public static Supplier<LedgerSeal> sealReadMeanwhile(KubernetesClient client, String namespace) {
    CompletableFuture<LedgerSeal> seal = CompletableFuture.supplyAsync(() -> LedgerSeal.bootstrap(client, namespace),
        OperatorFactory::startDaemon);
    return () -> await(seal);
  }

  private static void startDaemon(Runnable work) {
    Thread thread = new Thread(work, "ledger-seal-bootstrap");
    thread.setDaemon(true);
    thread.start();
  }

  /** The seal, or the bootstrap's own exception (not wrapped), so that the operator fails as it did before. */
  private static LedgerSeal await(CompletableFuture<LedgerSeal> seal) {
    try {
      return seal.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static void namespaces(io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<?> c,
      OperatorSettings settings) {
    if (!settings.watchNamespaces().isEmpty()) {
      c.settingNamespaces(settings.watchNamespaces());
    }
  }
}
