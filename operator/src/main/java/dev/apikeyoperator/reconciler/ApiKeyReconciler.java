package dev.apikeyoperator.reconciler;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderStatus;
import dev.apikeyoperator.informercache.StrippedItemStore;
import dev.apikeyoperator.status.EventRecorder;
import dev.apikeyoperator.ledger.LedgerSeal;
import dev.apikeyoperator.ledger.LedgerStore;
import dev.apikeyoperator.lifecycle.StepExecutor;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.provider.Providers;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.informercache.CachedSecrets;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.secret.SecretWriter;
import dev.apikeyoperator.status.Conditions;
import dev.apikeyoperator.status.KeyOutcome;
import dev.apikeyoperator.status.KeyStatusAggregator;
import dev.apikeyoperator.status.Reason;
import dev.apikeyoperator.status.StatusBuilder;
import dev.apikeyoperator.workload.Consumers;
import dev.apikeyoperator.workload.WorkloadAccess;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The JOSDK wiring of the key lifecycle: event sources, and one reconcile (or cleanup) of an ApiKey handed to
 * {@link StepExecutor}, whose outcome becomes the status. The lifecycle itself, and every vendor, live elsewhere.
 */
// Generation-aware processing stays off: the annotations that ask for something (rotate-requested-at, paused,
// acknowledge-indeterminate, discard-invalid-state) change no generation, and would be dropped.
@ControllerConfiguration(name = "apikey", generationAwareEventProcessing = false, finalizerName = ApiKey.FINALIZER)
// Transient failures (vendor 5xx, 429 without Retry-After, timeouts, API-server errors) are retried for as long as
// they last: 2 s, 4 s, 8 s, ... capped at 5 minutes.
@GradualRetry(maxAttempts = -1, initialInterval = 2_000, intervalMultiplier = 2, maxInterval = 300_000)
public class ApiKeyReconciler implements Reconciler<ApiKey>, Cleaner<ApiKey> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyReconciler.class);

  private final KubernetesClient client;
  private final VendorConnections connections;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final LedgerSeal seal;

  private InformerEventSource<Secret, ApiKey> secrets;
  private InformerEventSource<Namespace, ApiKey> namespaces;
  private StepExecutor lifecycle;
  private Consumers consumers;

  public ApiKeyReconciler(KubernetesClient client, VendorConnections connections, EventRecorder events,
      OperatorMetrics metrics, Clock clock, LedgerSeal seal) {
    this.client = client;
    this.seal = seal;
    this.metrics = metrics;
    this.connections = connections;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, ApiKey>> prepareEventSources(EventSourceContext<ApiKey> context) {
    context.getPrimaryCache().addIndexer(Providers.INDEX, Providers::indexKeyOf);
    metrics.countApiKeysIn(OperatorMetrics.listing(context.getPrimaryCache()));
    secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, ApiKey.class)
        .withName("managed-secrets")
        .withOnAddFilter(StartupAdds.onlyNewerThanStart())
        .withLabelSelector(ManagedSecrets.MANAGED_BY_LABEL + "=" + ManagedSecrets.MANAGED_BY_VALUE)
        .withItemStore(new StrippedItemStore<>(CachedSecrets::strip))
        .withPrimaryToSecondaryMapper(ManagedSecrets::namesOf)
        .withSecondaryToPrimaryMapper(ManagedSecrets::ownersOf)
        .build(), context);
    var namespaced = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ApiKeyProvider.class, ApiKey.class)
        .withName("apikeyproviders")
        .withOnAddFilter(StartupAdds.onlyNewerThanStart())
        .withOnUpdateFilter(ApiKeyReconciler::specOrDeletionChanged)
        .withSecondaryToPrimaryMapper(p -> keysUsing(context, Provider.indexKey(ProviderRef.Kind.ApiKeyProvider,
            p.getMetadata().getNamespace(), p.getMetadata().getName())))
        .build(), context);
    var cluster = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ClusterApiKeyProvider.class, ApiKey.class)
        .withName("clusterapikeyproviders")
        .withOnAddFilter(StartupAdds.onlyNewerThanStart())
        .withWatchAllNamespaces()
        .withOnUpdateFilter(ApiKeyReconciler::specOrDeletionChanged)
        .withSecondaryToPrimaryMapper(p -> keysUsing(context, Provider.indexKey(
            ProviderRef.Kind.ClusterApiKeyProvider, null, p.getMetadata().getName())))
        .build(), context);
    // Namespace labels decide what a ClusterApiKeyProvider serves; a label change re-checks the keys in it.
    namespaces = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, ApiKey.class)
        .withName("namespaces")
        .withOnAddFilter(StartupAdds.onlyNewerThanStart())
        .withWatchAllNamespaces()
        .withOnUpdateFilter((older, newer) -> !Objects.equals(older.getMetadata().getLabels(),
            newer.getMetadata().getLabels()))
        .withSecondaryToPrimaryMapper(n -> context.getPrimaryCache().list(n.getMetadata().getName())
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    LedgerStore ledgers = new LedgerStore(client, secrets, seal);
    SecretWriter secretWriter = new SecretWriter(client, secrets);
    consumers = Consumers.watch(context, new WorkloadAccess(client, context.getControllerConfiguration()));
    lifecycle = new StepExecutor(client, connections, events, metrics, clock, ledgers, secretWriter,
        new Providers(namespaced, cluster), namespace -> namespaces.get(new ResourceID(namespace)), consumers);
    SimpleInboundEventSource<ApiKey> slotFreed = new SimpleInboundEventSource<>("call-slot-freed");
    connections.pacing().onSlotFree(slotFreed::propagateEvent);
    List<EventSource<?, ApiKey>> sources = new java.util.ArrayList<>(List.of(secrets, namespaced, cluster,
        namespaces, slotFreed));
    sources.addAll(consumers.eventSources());
    return sources;
  }

  /**
   * A provider's status (keysInUse, usedBy) changes with every key; re-reconciling every ApiKey of the provider on
   * each such change made reconciles grow with the square of the keys. What matters to an ApiKey: the spec
   * (generation), a deletion, and the provider becoming usable or unusable (its Ready condition).
   */
  private static <P extends io.fabric8.kubernetes.client.CustomResource<?, ProviderStatus>> boolean
      specOrDeletionChanged(P older, P newer) {
    return !Objects.equals(older.getMetadata().getGeneration(), newer.getMetadata().getGeneration())
        || !Objects.equals(older.getMetadata().getDeletionTimestamp(), newer.getMetadata().getDeletionTimestamp())
        || !Objects.equals(readiness(older.getStatus()), readiness(newer.getStatus()));
  }

  private static String readiness(ProviderStatus status) {
    return status == null ? null : Conditions.find(status.conditions, Conditions.READY)
        .map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
  }

  private static java.util.Set<ResourceID> keysUsing(EventSourceContext<ApiKey> context, String indexKey) {
    return context.getPrimaryCache().byIndex(Providers.INDEX, indexKey).stream()
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** The controller's event sources, where the workload caches register their informers (OperatorFactory). */
  public void registerWorkloadInformersWith(
      io.javaoperatorsdk.operator.processing.event.EventSourceRetriever<ApiKey> eventSources) {
    consumers.registerInformersWith(eventSources);
  }

  /**
   * The controller's update filter (OperatorFactory; JOSDK passes the new object first): an update that changes
   * only the status (the operator's own write, or anybody's) wakes nothing; the spec (generation), annotations,
   * labels, finalizers, owners and deletion do.
   */
  public boolean worthReconciling(ApiKey newer, ApiKey older) {
    ObjectMeta o = older.getMetadata();
    ObjectMeta n = newer.getMetadata();
    return !(Objects.equals(o.getGeneration(), n.getGeneration())
        && Objects.equals(o.getAnnotations(), n.getAnnotations())
        && Objects.equals(o.getLabels(), n.getLabels())
        && Objects.equals(o.getFinalizers(), n.getFinalizers())
        && Objects.equals(o.getOwnerReferences(), n.getOwnerReferences())
        && Objects.equals(o.getDeletionTimestamp(), n.getDeletionTimestamp()));
  }

  // ---------------------------------------------------------------------------------------------- reconcile

  /**
   * Observes, decides and acts (StepExecutor), then reports the one outcome. JOSDK has added the finalizer before
   * the first call, so no key is ever created that the ApiKey's deletion would not revoke.
   */
  @Override
  public UpdateControl<ApiKey> reconcile(ApiKey apiKey, Context<ApiKey> context) {
    try (var ignored = logContext(apiKey)) {
      KeyOutcome outcome = lifecycle.converge(apiKey);
      if (outcome instanceof KeyOutcome.NotApplied n && n.transientFailure()) {
        throw new TransientFailure(n); // its status is written by updateErrorStatus, and JOSDK retries
      }
      ApiKeyStatus status = report(apiKey, outcome);
      if (status != null) {
        consumers.describe(apiKey, status);
      }
      UpdateControl<ApiKey> control = status == null ? UpdateControl.noUpdate()
          : StatusBuilder.patchIfChanged(apiKey, status);
      return outcome.lookAgain() == null ? control : control.rescheduleAfter(outcome.lookAgain());
    }
  }

  /** A transient failure, thrown to JOSDK's retry; names reasons and keys, never a value. */
  public static final class TransientFailure extends RuntimeException {
    private final KeyOutcome.NotApplied outcome;

    public TransientFailure(KeyOutcome.NotApplied outcome) {
      super(outcome.reason() + ": " + outcome.message(), null, false, false);
      this.outcome = outcome;
    }
  }

  /**
   * The status of a reconcile that failed. A transient failure shows its reason (Synced=False; Ready stays True
   * while the Secret serves a working key); any other error (an API-server one) leaves the status as it is.
   */
  @Override
  public ErrorStatusUpdateControl<ApiKey> updateErrorStatus(ApiKey apiKey, Context<ApiKey> context, Exception e) {
    TransientFailure failure = transientFailure(e);
    if (failure == null) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    try (var ignored = logContext(apiKey)) {
      ApiKeyStatus status = report(apiKey, failure.outcome);
      consumers.describe(apiKey, status);
      if (status.equals(apiKey.getStatus())) {
        return ErrorStatusUpdateControl.noStatusUpdate();
      }
      apiKey.setStatus(status);
      return ErrorStatusUpdateControl.patchStatus(apiKey);
    }
  }

  /** The transient failure behind {@code e}: JOSDK's metrics wrap what the reconcile threw. */
  private static TransientFailure transientFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TransientFailure failure) {
        return failure;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------------ cleanup

  /**
   * Revokes what the deletion policy says; JOSDK then removes the finalizer. A problem keeps it, and the status
   * says why (written here: a DeleteControl carries no status).
   */
  @Override
  public DeleteControl cleanup(ApiKey apiKey, Context<ApiKey> context) {
    try (var ignored = logContext(apiKey)) {
      KeyOutcome outcome = lifecycle.cleanUp(apiKey);
      if (outcome instanceof KeyOutcome.Released) {
        forget(apiKey.getMetadata().getUid());
        return DeleteControl.defaultDelete();
      }
      ApiKeyStatus status = report(apiKey, outcome);
      if (status != null && !status.equals(apiKey.getStatus())) {
        writeStatus(apiKey, status);
      }
      if (outcome instanceof KeyOutcome.NotApplied n && n.transientFailure()) {
        throw new TransientFailure(n);
      }
      DeleteControl control = DeleteControl.noFinalizerRemoval();
      return outcome.lookAgain() == null ? control : control.rescheduleAfter(outcome.lookAgain());
    }
  }

  /** The status alone, as a JSON patch of what changed (no resourceVersion: the operator owns the status). */
  private void writeStatus(ApiKey apiKey, ApiKeyStatus status) {
    ApiKey base = new ApiKey();
    base.setMetadata(new ObjectMetaBuilder().withName(apiKey.getMetadata().getName())
        .withNamespace(apiKey.getMetadata().getNamespace()).build());
    base.setStatus(apiKey.getStatus());
    client.resources(ApiKey.class).inNamespace(apiKey.getMetadata().getNamespace()).resource(base)
        .editStatus(a -> {
          a.setStatus(status);
          return a;
        });
  }

  /** Its keys are revoked: nothing is kept in memory about the ApiKey. */
  private void forget(String uid) {
    lifecycle.forget(uid);
  }

  // ------------------------------------------------------------------------------------------------ report

  /**
   * The one place an outcome becomes the status and a Warning event (once per new failure reason); the metrics
   * count the statuses in the cache. Null for an outcome that changes neither (a deferred one).
   */
  private ApiKeyStatus report(ApiKey apiKey, KeyOutcome outcome) {
    if (outcome instanceof KeyOutcome.Deferred) {
      return null;
    }
    ApiKeyStatus status = KeyStatusAggregator.build(apiKey, outcome, clock);
    KeyStatusAggregator.newFailure(apiKey, outcome).ifPresent(reason -> {
      String message = ((KeyOutcome.NotApplied) outcome).message();
      events.warning(apiKey, reason.name(), message);
      LOG.warn("{}: {}", reason, message);
    });
    return status;
  }

  /** A scope that closes without checked exceptions. */
  private interface LogContext extends AutoCloseable {
    @Override
    void close();
  }

  /** Puts the ApiKey's namespace and name on every log line written while handling it. */
  private static LogContext logContext(ApiKey apiKey) {
    MDC.put("namespace", apiKey.getMetadata().getNamespace());
    MDC.put("apikey", apiKey.getMetadata().getName());
    return () -> {
      MDC.remove("namespace");
      MDC.remove("apikey");
    };
  }
}
