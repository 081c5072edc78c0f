package dev.apikeyoperator.reconciler;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ProviderStatus;
import dev.apikeyoperator.status.EventRecorder;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.pacing.Slot;
import dev.apikeyoperator.provider.CredentialHold;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.provider.ProviderProblem;
import dev.apikeyoperator.provider.Providers;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.status.Conditions;
import dev.apikeyoperator.status.ProviderReason;
import dev.apikeyoperator.validation.SizeLimits;
import dev.apikeyoperator.status.StatusBuilder;
import dev.apikeyoperator.transport.VendorException;
import dev.apikeyoperator.transport.VendorUnauthorizedException;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.informercache.CachedMetadata;
import dev.apikeyoperator.informercache.StrippedItemStore;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports whether a provider can be used (endpoint allowed, credentials Secret present, a cheap credential check
 * at the vendor: one {@code GET /workspaces?limit=1}) and who uses it. The vendor check runs when the provider or
 * its credential changes (the Secret is re-read every minute, so a rotated credential is noticed without a
 * restart) and otherwise every recheck interval. A provider still used by ApiKeys keeps its finalizer.
 */
public abstract class ProviderReconciler<P extends CustomResource<? extends ProviderSpec, ProviderStatus>>
    implements Reconciler<P>, Cleaner<P> {
  static final int MAX_LISTED_USERS = 50;
  private static final Duration CREDENTIAL_POLL = Duration.ofMinutes(1);
  private static final Duration USAGE_WRITES = Duration.ofSeconds(5);

  /** The outcome of the last vendor check of a provider, and what it was made with. */
  private record Check(long generation, String credentialFingerprint, Instant at, ProviderReason reason,
      String message) {}

  private final VendorConnections connections;
  private final EventRecorder events;
  private final Clock clock;
  private final Duration recheckInterval;
  private final ProviderRef.Kind kind;
  private final OperatorMetrics metrics;
  /**
   * Per provider (uid): its last check and when its status was last written. Kept here because the status does not
   * hold the fingerprint of the credential the check judged, nor when usage was last written.
   */
  private final Map<String, Memory> memory = new ConcurrentHashMap<>();

  private record Memory(Check lastCheck, Instant lastWrite) {
    Memory checked(Check c) {
      return new Memory(c, lastWrite);
    }

    Memory written(Instant at) {
      return new Memory(lastCheck, at);
    }
  }
  private InformerEventSource<ApiKey, P> apiKeys;

  protected ProviderReconciler(ProviderRef.Kind kind, VendorConnections connections, EventRecorder events,
      OperatorMetrics metrics, Clock clock, Duration recheckInterval) {
    this.kind = kind;
    this.metrics = metrics;
    this.connections = connections;
    this.events = events;
    this.clock = clock;
    this.recheckInterval = recheckInterval;
  }

  protected abstract Provider describe(P resource);

  protected abstract Class<P> resourceClass();

  @Override
  public List<EventSource<?, P>> prepareEventSources(EventSourceContext<P> context) {
    apiKeys = new InformerEventSource<>(InformerEventSourceConfiguration.from(ApiKey.class, resourceClass())
        .withName("apikeys-of-" + kind)
        .withSecondaryToPrimaryMapper(this::providerOf)
        .withItemStore(new StrippedItemStore<>(ProviderReconciler::usageOnly))
        .withOnUpdateFilter((older, newer) -> !Objects.equals(Providers.indexKeyOf(older), Providers.indexKeyOf(newer)))
        .build(), context);
    var providers = OperatorMetrics.listing(context.getPrimaryCache());
    metrics.countProvidersIn(kind.name(), () -> providers.get().map(CustomResource::getStatus));
    return List.of(apiKeys);
  }

  /**
   * What a provider needs of an ApiKey: its name and the provider it names. The ApiKey controller caches the whole
   * ApiKey already; a second and third whole copy per key was most of the operator's heap (BENCHMARKS.md).
   */
  static ApiKey usageOnly(ApiKey apiKey) {
    ApiKey usage = new ApiKey();
    usage.setMetadata(new ObjectMetaBuilder().withUid(apiKey.getMetadata().getUid()).build());
    CachedMetadata.strip(usage.getMetadata()); // no empty collections, the uid shared with the ApiKey controller's
    if (apiKey.getSpec() != null && apiKey.getSpec().providerRef != null) {
      ApiKeySpec spec = new ApiKeySpec();
      spec.rolloutRestartTargets = null;
      spec.providerRef = apiKey.getSpec().providerRef;
      spec.providerRef.name = CachedMetadata.intern(spec.providerRef.name);
      usage.setSpec(spec);
    }
    return usage;
  }

  private Set<ResourceID> providerOf(ApiKey apiKey) {
    if (apiKey.getSpec() == null || apiKey.getSpec().providerRef == null
        || apiKey.getSpec().providerRef.kindOrDefault() != kind) {
      return Set.of();
    }
    return Set.of(kind == ProviderRef.Kind.ApiKeyProvider
        ? new ResourceID(apiKey.getSpec().providerRef.name, apiKey.getMetadata().getNamespace())
        : new ResourceID(apiKey.getSpec().providerRef.name));
  }

  /** The ApiKeys that name this provider, as "namespace/name", sorted. */
  private List<String> users(P resource) {
    String key = Provider.indexKey(kind, resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    return apiKeys.list(k -> Providers.indexKeyOf(k).contains(key))
        .map(k -> k.getMetadata().getNamespace() + "/" + k.getMetadata().getName()).sorted().toList();
  }

  @Override
  public UpdateControl<P> reconcile(P resource, Context<P> context) {
    Optional<Slot> slot = connections.pacing().trySlot(describe(resource).tenant());
    if (slot.isEmpty()) {
      return UpdateControl.<P>noUpdate().rescheduleAfter(2000); // its tenant's slots are all taken: soon again
    }
    Check check;
    try (var taken = slot.get()) {
      check = check(resource);
    }
    holdCredentials(resource);
    List<String> users = users(resource);
    ProviderStatus status = statusFor(resource, check, users.size(), kind == ProviderRef.Kind.ClusterApiKeyProvider
        ? perNamespace(users) : users);
    Optional<Duration> hold = usageWriteHeld(resource, status);
    if (hold.isPresent()) {
      return UpdateControl.<P>noUpdate().rescheduleAfter(hold.get());
    }
    if (!status.equals(resource.getStatus())) {
      Instant now = Instant.now(clock);
      memory.compute(resource.getMetadata().getUid(), (uid, m) -> m == null ? new Memory(null, now) : m.written(now));
    }
    return StatusBuilder.patchIfChanged(resource, status).rescheduleAfter(credentialPoll());
  }

  /**
   * A change of who uses the provider alone (keysInUse, usedBy) is written at most every {@link #USAGE_WRITES}:
   * a burst of a thousand new keys is a handful of provider writes, not a thousand. Readiness is written at once.
   */
  private Optional<Duration> usageWriteHeld(P resource, ProviderStatus status) {
    ProviderStatus current = resource.getStatus();
    Instant last = remembered(resource.getMetadata().getUid()).lastWrite();
    if (current == null || last == null || status.equals(current)) {
      return Optional.empty();
    }
    ProviderStatus sameUsage = new ProviderStatus();
    sameUsage.observedGeneration = status.observedGeneration;
    sameUsage.conditions = status.conditions;
    sameUsage.checkedAt = status.checkedAt;
    sameUsage.keysInUse = current.keysInUse;
    sameUsage.usedBy = current.usedBy;
    Duration since = Duration.between(last, Instant.now(clock));
    return sameUsage.equals(current) && since.compareTo(USAGE_WRITES) < 0
        ? Optional.of(USAGE_WRITES.minus(since)) : Optional.empty();
  }

  /** How often the credentials Secret is read again: every minute, or the recheck interval when shorter. */
  private Duration credentialPoll() {
    return recheckInterval.compareTo(CREDENTIAL_POLL) < 0 ? recheckInterval : CREDENTIAL_POLL;
  }

  @Override
  public DeleteControl cleanup(P resource, Context<P> context) {
    List<String> users = users(resource);
    if (users.isEmpty()) {
      releaseCredentials(resource, context);
      memory.remove(resource.getMetadata().getUid());
      return DeleteControl.defaultDelete();
    }
    // Keys minted through this provider can only be revoked through it: it stays until its ApiKeys are gone.
    Provider provider = describe(resource);
    // A cluster provider's event lands in namespace default: it must not name other tenants' ApiKeys.
    String which = resource.getMetadata().getNamespace() == null ? ""
        : " (" + String.join(", ", users.subList(0, Math.min(5, users.size()))) + (users.size() > 5 ? ", ..." : "")
            + ")";
    events.warning(resource, "InUse", provider.displayName() + " is still used by " + users.size() + " ApiKey(s)"
        + which + "; it is deleted once they are gone");
    return DeleteControl.noFinalizerRemoval();
  }

  /** Keeps the credentials Secret while the provider lives, where a namespace teardown could take it first. */
  protected void holdCredentials(P resource) {}

  /** Lets the credentials Secret go once the provider's ApiKeys are gone. */
  protected void releaseCredentials(P resource, Context<P> context) {}

  /** Checks at the vendor only when the provider or its credential changed, or the last check is old. */
  private Check check(P resource) {
    Provider provider = describe(resource);
    String uid = resource.getMetadata().getUid();
    long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    if (resource.getSpec() != null && !resource.getSpec().readProblems().isEmpty()) {
      return new Check(generation, null, Instant.now(clock), ProviderReason.InvalidSpec, "The spec cannot be read: "
          + String.join("; ", resource.getSpec().readProblems()) + ". No vendor call is made with it");
    }
    List<String> tooLarge = resource.getSpec() == null ? List.of() : SizeLimits.check(resource.getSpec(), "spec");
    if (!tooLarge.isEmpty()) {
      return new Check(generation, null, Instant.now(clock), ProviderReason.InvalidSpec, "The spec is too large: "
          + String.join("; ", tooLarge) + ". No vendor call is made with it");
    }
    Check recent = remembered(uid).lastCheck();
    if (recent != null && recent.generation() == generation
        && recent.at().plus(credentialPoll()).isAfter(Instant.now(clock))) {
      return recent; // usage changes (ApiKeys coming and going) need no new look at the credentials
    }
    VendorConnections.Connection connection;
    try {
      connection = connections.connectWithCurrentCredential(provider);
    } catch (ProviderProblem p) {
      return remember(uid, new Check(generation, null, Instant.now(clock), p.reason(), p.getMessage()));
    }
    Check last = recent;
    if (last == null) {
      last = persistedCheck(resource, generation, connection.credentialFingerprint());
    }
    if (last != null && last.generation() == generation
        && Objects.equals(last.credentialFingerprint(), connection.credentialFingerprint())
        && last.at().plus(recheckInterval).isAfter(Instant.now(clock))) {
      return remember(uid, last);
    }
    Check c;
    try {
      Optional<String> limits = connection.issuer().checkCredentials();
      c = new Check(generation, connection.credentialFingerprint(), Instant.now(clock), ProviderReason.CredentialsValid,
          "The vendor accepted the credentials of " + provider.displayName() + limits.map(l -> "; " + l).orElse(""));
    } catch (VendorUnauthorizedException e) {
      connections.refused(connection);
      c = new Check(generation, connection.credentialFingerprint(), Instant.now(clock), ProviderReason.CredentialsInvalid,
          e.getMessage());
    } catch (VendorException e) {
      c = new Check(generation, connection.credentialFingerprint(), Instant.now(clock), ProviderReason.VendorUnreachable,
          "Could not check the credentials: " + e.getMessage());
    }
    return remember(uid, c);
  }

  private Memory remembered(String uid) {
    return memory.getOrDefault(uid, new Memory(null, null));
  }

  private Check remember(String uid, Check c) {
    memory.compute(uid, (k, m) -> m == null ? new Memory(c, null) : m.checked(c));
    return c;
  }

  /**
   * After a restart: a successful check of this generation that the status records as recent is trusted (the
   * credential is taken as the same one; a changed credential is still noticed, since the Secret is re-read every
   * minute and compared with the fingerprint remembered from then on).
   */
  private Check persistedCheck(P resource, long generation, String credentialFingerprint) {
    ProviderStatus status = resource.getStatus();
    if (status == null || status.checkedAt == null || status.observedGeneration == null
        || status.observedGeneration != generation) {
      return null;
    }
    return Conditions.find(status.conditions, Conditions.READY)
        .filter(c -> "True".equals(c.getStatus()))
        .map(c -> new Check(generation, credentialFingerprint, Instant.parse(status.checkedAt),
            ProviderReason.CredentialsValid, c.getMessage()))
        .orElse(null);
  }

  private ProviderStatus statusFor(P resource, Check check, int keysInUse, List<String> usedBy) {
    return StatusBuilder.provider(resource.getStatus(), resource, check.reason(), check.message(), check.at(),
        keysInUse, usedBy, MAX_LISTED_USERS, clock);
  }

  /**
   * A cluster provider's users as "namespace: count", sorted: whoever may read the provider (any tenant, with the
   * usual read rights on the kind) learns how many ApiKeys each namespace has, not their names.
   */
  static List<String> perNamespace(List<String> users) {
    return users.stream().collect(Collectors.groupingBy(u -> u.substring(0, u.indexOf('/')), TreeMap::new,
        Collectors.counting())).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
  }

  /** Namespaced providers. */
  @io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration(name = "apikeyprovider",
      finalizerName = ApiKey.FINALIZER)
  public static final class Namespaced extends ProviderReconciler<ApiKeyProvider> {
    private final CredentialHold credentials;

    public Namespaced(VendorConnections connections, EventRecorder events, OperatorMetrics metrics, Clock clock,
        Duration recheckInterval, CredentialHold credentials) {
      super(ProviderRef.Kind.ApiKeyProvider, connections, events, metrics, clock, recheckInterval);
      this.credentials = credentials;
    }

    /** A namespace's teardown deletes its credentials Secret with everything else (docs/concepts/guarantees.md 9). */
    @Override
    protected void holdCredentials(ApiKeyProvider resource) {
      credentials.hold(describe(resource));
    }

    @Override
    protected void releaseCredentials(ApiKeyProvider resource, Context<ApiKeyProvider> context) {
      Set<String> readByOthers = context.getPrimaryCache().list(resource.getMetadata().getNamespace())
          .filter(p -> !p.getMetadata().getUid().equals(resource.getMetadata().getUid()))
          .map(p -> describe(p).credentialsRef()).filter(Objects::nonNull).map(r -> r.name)
          .collect(Collectors.toSet());
      credentials.release(describe(resource), readByOthers);
    }

    @Override
    protected Provider describe(ApiKeyProvider p) {
      return Providers.of(p);
    }

    @Override
    protected Class<ApiKeyProvider> resourceClass() {
      return ApiKeyProvider.class;
    }
  }

  /** Cluster-scoped providers. */
  @io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration(name = "clusterapikeyprovider",
      finalizerName = ApiKey.FINALIZER)
  public static final class Cluster extends ProviderReconciler<ClusterApiKeyProvider> {
    public Cluster(VendorConnections connections, EventRecorder events, OperatorMetrics metrics, Clock clock,
        Duration recheckInterval) {
      super(ProviderRef.Kind.ClusterApiKeyProvider, connections, events, metrics, clock, recheckInterval);
    }

    @Override
    protected Provider describe(ClusterApiKeyProvider p) {
      return Providers.of(p);
    }

    @Override
    protected Class<ClusterApiKeyProvider> resourceClass() {
      return ClusterApiKeyProvider.class;
    }
  }
}
