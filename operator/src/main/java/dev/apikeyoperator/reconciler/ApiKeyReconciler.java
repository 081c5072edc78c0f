package dev.apikeyoperator.reconciler;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.ApiKeyProvider;
import dev.apikeyoperator.customresource.ApiKeyStatus;
import dev.apikeyoperator.customresource.ClusterApiKeyProvider;
import dev.apikeyoperator.customresource.ProviderRef;
import dev.apikeyoperator.customresource.ProviderStatus;
import dev.apikeyoperator.customresource.StrippedItemStore;
import dev.apikeyoperator.events.EventRecorder;
import dev.apikeyoperator.ledger.LedgerSeal;
import dev.apikeyoperator.ledger.LedgerStore;
import dev.apikeyoperator.lifecycle.StepExecutor;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.provider.Providers;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.secret.CachedSecrets;
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
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
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
@ControllerConfiguration(name = "apikey", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public class ApiKeyReconciler implements Reconciler<ApiKey> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyReconciler.class);

  private final KubernetesClient client;
  private final VendorConnections connections;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final LedgerSeal seal;
  private final OwnStatusWrites ownWrites = new OwnStatusWrites();

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
        .withSecondaryToPrimaryMapper(p -> keysUsing(context, Providers.indexKey(ProviderRef.Kind.ApiKeyProvider,
            p.getMetadata().getNamespace(), p.getMetadata().getName())))
        .build(), context);
    var cluster = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ClusterApiKeyProvider.class, ApiKey.class)
        .withName("clusterapikeyproviders")
        .withOnAddFilter(StartupAdds.onlyNewerThanStart())
        .withWatchAllNamespaces()
        .withOnUpdateFilter(ApiKeyReconciler::specOrDeletionChanged)
        .withSecondaryToPrimaryMapper(p -> keysUsing(context, Providers.indexKey(
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
    connections.slots().onFree(slotFreed::propagateEvent);
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

  /** The controller's update filter (OperatorFactory): the operator's own status writes wake no reconcile. */
  public boolean worthReconciling(ApiKey newer, ApiKey older) {
    return ownWrites.worthReconciling(newer, older);
  }

  // ---------------------------------------------------------------------------------------------- reconcile

  /**
   * Every event of an ApiKey comes here (JOSDK's all-events mode), its deletion included: the finalizer is the
   * reconcile's own (ApiKeyFinalizer), added in the same pass that then creates the key, so that a new key costs
   * one reconcile less than with JOSDK's separate finalizer pass (docs/design/ledger.md).
   */
  @Override
  public UpdateControl<ApiKey> reconcile(ApiKey apiKey, Context<ApiKey> context) {
    if (context.isPrimaryResourceDeleted() || context.isPrimaryResourceFinalStateUnknown()) {
      forget(apiKey.getMetadata().getUid()); // gone: its finalizer was removed after its keys were revoked
      return UpdateControl.noUpdate();
    }
    if (apiKey.isMarkedForDeletion()) {
      return ApiKeyFinalizer.isOn(apiKey) ? cleanup(apiKey) : UpdateControl.noUpdate();
    }
    try (var ignored = logContext(apiKey)) {
      if (!ApiKeyFinalizer.isOn(apiKey)) {
        // Before anything else, so that no key is ever created that its deletion would not revoke. The rest of
        // this reconcile goes on with the ApiKey as read: its status patch carries the status alone.
        ApiKeyFinalizer.add(client, apiKey);
      }
      KeyOutcome outcome = lifecycle.converge(apiKey);
      if (outcome instanceof KeyOutcome.Applied) {
        lifecycle.succeeded(apiKey.getMetadata().getUid());
      }
      return report(apiKey, outcome, true);
    }
  }

  // ------------------------------------------------------------------------------------------------ cleanup

  /** Revokes what the deletion policy says, then removes the finalizer; a problem keeps it and says why. */
  private UpdateControl<ApiKey> cleanup(ApiKey apiKey) {
    try (var ignored = logContext(apiKey)) {
      KeyOutcome outcome = lifecycle.cleanUp(apiKey);
      if (outcome instanceof KeyOutcome.Released) {
        ApiKeyFinalizer.remove(client, apiKey);
        forget(apiKey.getMetadata().getUid());
        return UpdateControl.noUpdate();
      }
      return report(apiKey, outcome, false);
    }
  }

  /** The ApiKey is gone (or its keys are revoked): nothing is kept in memory about it. */
  private void forget(String uid) {
    lifecycle.forget(uid);
    ownWrites.forget(uid);
    metrics.apiKeyReason(uid, null);
  }

  // ------------------------------------------------------------------------------------------------ report

  /**
   * The one place an outcome becomes the status, a Warning event (once per new failure reason) and the reason
   * metric; a deferred outcome changes none of them.
   */
  private UpdateControl<ApiKey> report(ApiKey apiKey, KeyOutcome outcome, boolean describeConsumers) {
    if (outcome instanceof KeyOutcome.Deferred) {
      return UpdateControl.<ApiKey>noUpdate().rescheduleAfter(outcome.lookAgain());
    }
    ApiKeyStatus status = KeyStatusAggregator.build(apiKey, outcome, clock);
    metrics.apiKeyReason(apiKey.getMetadata().getUid(), KeyStatusAggregator.reason(outcome), status.nextRotationAt);
    KeyStatusAggregator.newFailure(apiKey, outcome).ifPresent(reason -> {
      String message = ((KeyOutcome.NotApplied) outcome).message();
      events.warning(apiKey, reason.name(), message);
      LOG.warn("{}: {}", reason, message);
    });
    if (describeConsumers) {
      consumers.describe(apiKey, status);
    }
    ownWrites.wrote(apiKey, status);
    UpdateControl<ApiKey> control = StatusBuilder.patchIfChanged(apiKey, status);
    return outcome.lookAgain() == null ? control : control.rescheduleAfter(outcome.lookAgain());
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
