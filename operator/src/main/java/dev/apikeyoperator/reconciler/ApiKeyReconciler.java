package dev.apikeyoperator.reconciler;

import dev.apikeyoperator.GoDuration;
import dev.apikeyoperator.customresource.ExternalRevocationPolicy;
import dev.apikeyoperator.issuer.Issuer;
import dev.apikeyoperator.issuer.KeyPlan;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.issuer.PlanException;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.customresource.AdoptSpec;
import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.ApiKeyProvider;
import dev.apikeyoperator.customresource.ApiKeyStatus;
import dev.apikeyoperator.customresource.ClusterApiKeyProvider;
import dev.apikeyoperator.customresource.DeletionPolicy;
import dev.apikeyoperator.customresource.KeyStatus;
import dev.apikeyoperator.customresource.PreviousKeyStatus;
import dev.apikeyoperator.customresource.ProviderRef;
import dev.apikeyoperator.customresource.ProviderStatus;
import dev.apikeyoperator.customresource.RotationSpec;
import dev.apikeyoperator.customresource.SecretSpec;
import dev.apikeyoperator.events.EventRecorder;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.ledger.LedgerStore;
import dev.apikeyoperator.ledger.PendingCreation;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.policy.KeyPolicy;
import dev.apikeyoperator.provider.Provider;
import dev.apikeyoperator.provider.ProviderProblem;
import dev.apikeyoperator.provider.Providers;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.secret.SecretConflictException;
import dev.apikeyoperator.secret.SecretWriter;
import dev.apikeyoperator.status.Conditions;
import dev.apikeyoperator.status.Reason;
import dev.apikeyoperator.validation.SpecValidator;
import dev.apikeyoperator.workload.RolloutRestarter;
import dev.apikeyoperator.issuer.KeyValue;
import dev.apikeyoperator.issuer.VendorErrorException;
import dev.apikeyoperator.issuer.VendorException;
import dev.apikeyoperator.issuer.VendorOutcomeUnknownException;
import dev.apikeyoperator.issuer.VendorRateLimitedException;
import dev.apikeyoperator.issuer.VendorUnauthorizedException;
import dev.apikeyoperator.customresource.StatusCondition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * ApiKey → validate → provider → vendor → Secret → status.
 *
 * <p>Crash safety rests on the {@link Ledger}: the intent to create a key is written (with optimistic locking)
 * before the vendor call, and the created key, with its revocation handle, right after. An intent without an
 * outcome is reported as {@code CreationIndeterminate}, never retried silently. The Secret pods mount is derived
 * from the ledger, so it can be restored from it.
 */
@ControllerConfiguration(name = "apikey", finalizerName = ApiKey.FINALIZER, generationAwareEventProcessing = false)
public class ApiKeyReconciler implements Reconciler<ApiKey>, Cleaner<ApiKey> {
  public static final String PAUSED_ANNOTATION = "apikeyoperator.dev/paused";
  public static final String ACKNOWLEDGE_ANNOTATION = "apikeyoperator.dev/acknowledge-indeterminate";
  public static final String ROTATE_ANNOTATION = "apikeyoperator.dev/rotate-requested-at";
  private static final Duration LOOK_AGAIN = Duration.ofSeconds(60);
  /** When a Warning event about an indeterminate creation could not be written or marked, the next try. */
  private static final Duration WARN_AGAIN = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyReconciler.class);
  private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final KubernetesClient client;
  private final VendorConnections connections;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final RolloutRestarter restarter;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Backoff backoff = new Backoff();
  /** Keys this process created whose ledger write failed; recorded before anything else on the next visit. */
  private final Map<String, LedgerKey> unrecorded = new ConcurrentHashMap<>();
  /** When each readable-back (Statsig) ApiKey's key is next read back. */
  private final Map<String, Instant> readBacks = new ConcurrentHashMap<>();

  /** The connection made during the reconcile a thread is running (one per reconcile). */
  private final Map<Thread, Visit> visits = new ConcurrentHashMap<>();

  private record Visit(String provider, VendorConnections.Connection connection) {}

  private InformerEventSource<Secret, ApiKey> secrets;
  private InformerEventSource<Namespace, ApiKey> namespaces;
  private LedgerStore ledgers;
  private SecretWriter secretWriter;
  private Providers providers;

  public ApiKeyReconciler(KubernetesClient client, VendorConnections connections, EventRecorder events,
      OperatorMetrics metrics, Clock clock) {
    this.client = client;
    this.restarter = new RolloutRestarter(client, events, metrics);
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
        .withLabelSelector(ManagedSecrets.MANAGED_BY_LABEL + "=" + ManagedSecrets.MANAGED_BY_VALUE)
        .build(), context);
    var namespaced = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ApiKeyProvider.class, ApiKey.class)
        .withName("apikeyproviders")
        .withOnUpdateFilter(ApiKeyReconciler::specOrDeletionChanged)
        .withSecondaryToPrimaryMapper(p -> keysUsing(context, Providers.indexKey(ProviderRef.Kind.ApiKeyProvider,
            p.getMetadata().getNamespace(), p.getMetadata().getName())))
        .build(), context);
    var cluster = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ClusterApiKeyProvider.class, ApiKey.class)
        .withName("clusterapikeyproviders")
        .withWatchAllNamespaces()
        .withOnUpdateFilter(ApiKeyReconciler::specOrDeletionChanged)
        .withSecondaryToPrimaryMapper(p -> keysUsing(context, Providers.indexKey(
            ProviderRef.Kind.ClusterApiKeyProvider, null, p.getMetadata().getName())))
        .build(), context);
    // Namespace labels decide what a ClusterApiKeyProvider serves; a label change re-checks the keys in it.
    namespaces = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, ApiKey.class)
        .withName("namespaces")
        .withWatchAllNamespaces()
        .withOnUpdateFilter((older, newer) -> !Objects.equals(older.getMetadata().getLabels(),
            newer.getMetadata().getLabels()))
        .withSecondaryToPrimaryMapper(n -> context.getPrimaryCache().list(n.getMetadata().getName())
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    ledgers = new LedgerStore(client, secrets);
    secretWriter = new SecretWriter(client, secrets);
    providers = new Providers(namespaced, cluster);
    return List.of(secrets, namespaced, cluster, namespaces);
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

  // ---------------------------------------------------------------------------------------------- reconcile

  @Override
  public UpdateControl<ApiKey> reconcile(ApiKey apiKey, Context<ApiKey> context) {
    try (var ignored = logContext(apiKey)) {
      ApiKeyStatus status = copyOf(apiKey.getStatus());
      Duration lookAgain = null;
      try {
        lookAgain = converge(apiKey, status);
        backoff.reset(apiKey.getMetadata().getUid());
      } catch (StatusException e) {
        setReady(apiKey, status, e.reason(), e.getMessage());
        lookAgain = e.retryAfter();
      }
      return finish(apiKey, status, lookAgain);
    }
  }

  /** Brings the vendor key and the Secret to the spec; returns when to look again (null: on the next change). */
  private Duration converge(ApiKey apiKey, ApiKeyStatus status) throws StatusException {
    if (isPaused(apiKey)) {
      throw new StatusException(Reason.Paused, "Paused by the annotation " + PAUSED_ANNOTATION
          + ": no vendor calls are made until it is removed", null);
    }
    List<String> problems = SpecValidator.validate(apiKey);
    if (!problems.isEmpty()) {
      throw new StatusException(Reason.InvalidSpec, "The spec is invalid: " + String.join("; ", problems)
          + ". No key was created.", null);
    }
    Optional<Provider> found = providers.find(apiKey);
    Ledger ledger = recordUnrecorded(apiKey, ledgers.cached(apiKey));
    Settled settled = settlePending(apiKey, ledger, found);
    ledger = recoverLedger(apiKey, settled.ledger());
    if (settled.problem() != null) {
      throw keepServing(apiKey, ledger, found, settled.problem());
    }
    Provider provider = found.orElseThrow(() -> providerNotFound(apiKey));
    LedgerKey current = ledger.current();
    Vendor keyVendor = Vendors.of(apiKey.getSpec());
    Optional<Vendor> providerVendor = provider.vendor();
    if (providerVendor.isPresent() && providerVendor.get() != keyVendor) {
      throw new StatusException(Reason.InvalidSpec, provider.displayName() + " is a " + providerVendor.get().name()
          + " account, but the ApiKey gives spec." + keyVendor.name() + ": use spec." + providerVendor.get().name()
          + " or another provider" + keptOrNone(current), null);
    }
    String namespace = apiKey.getMetadata().getNamespace();
    Optional<String> notServed = KeyPolicy.checkNamespace(provider, namespace,
        namespaces.get(new ResourceID(namespace)).orElse(null));
    if (notServed.isPresent()) {
      throw new StatusException(Reason.NamespaceNotAllowed, notServed.get() + keptOrNone(current), null);
    }
    Optional<String> denied = KeyPolicy.checkRequest(provider, apiKey.getSpec());
    if (denied.isPresent()) {
      throw new StatusException(Reason.PolicyDenied, denied.get() + keptOrNone(current), null);
    }
    status.secretName = ManagedSecrets.secretName(apiKey);
    String specIdentity = specIdentity(apiKey);
    if (current == null && apiKey.getSpec().adopt != null) {
      ledger = adopt(apiKey, ledger, specIdentity);
    }
    Optional<String> rotation = rotationWanted(apiKey, ledger);
    ledger = handleExternalRevocation(apiKey, ledger, provider, rotation.isPresent());
    current = ledger.current();
    if (current == null || !specIdentity.equals(current.specIdentity()) || rotation.isPresent()) {
      ledger = provideKey(apiKey, ledger, provider, specIdentity, rotation);
    }
    ledger = updateSettings(apiKey, ledger, provider);
    ensureSecret(apiKey, ledger.current());
    ledger = rollOut(apiKey, ledger);
    ledger = revokeDue(apiKey, ledger, provider);
    describeKeys(ledger, status);
    Optional<Instant> nextRotation = nextRotation(apiKey, ledger.current());
    status.nextRotationAt = nextRotation.map(i -> i.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(null);
    Optional<Instant> nextRevocation = ledger.previous().stream().map(LedgerKey::revokeAfter)
        .filter(Objects::nonNull).min(Comparator.naturalOrder());
    if (nextRevocation.isPresent()) {
      setReady(apiKey, status, Reason.Rotating, "Key " + ledger.current().name() + " is in Secret "
          + status.secretName + "; replaced key(s) " + ledger.previous().stream().map(LedgerKey::name)
          .collect(Collectors.joining(", ")) + " stay valid until " + nextRevocation.get() + ", then are revoked");
    } else {
      setReady(apiKey, status, Reason.KeyReady, "Key " + ledger.current().name() + " is in Secret "
          + status.secretName + " under data key '" + ManagedSecrets.dataKey(apiKey) + "'");
    }
    return Stream.of(nextRevocation, nextRotation, nextReadBack(apiKey, provider)).flatMap(Optional::stream)
        .min(Comparator.naturalOrder()).map(when -> clampPositive(Duration.between(Instant.now(clock), when)))
        .orElse(null);
  }

  /**
   * While a creation awaits a human (or a provider), the key that is known keeps being served: the Secret is
   * restored if deleted (guarantee 5), and replaced keys are still revoked when their grace period ends.
   */
  private StatusException keepServing(ApiKey apiKey, Ledger ledger, Optional<Provider> provider,
      StatusException problem) {
    Duration retry = problem.retryAfter();
    try {
      if (ledger.current() != null) {
        ensureSecret(apiKey, ledger.current());
      }
      if (provider.isPresent()) {
        ledger = revokeDue(apiKey, ledger, provider.get());
      }
    } catch (StatusException | KubernetesClientException e) {
      retry = LOOK_AGAIN;
    }
    Optional<Instant> nextRevocation = ledger.previous().stream().map(LedgerKey::revokeAfter)
        .filter(Objects::nonNull).min(Comparator.naturalOrder());
    if (nextRevocation.isPresent()) {
      Duration untilRevocation = clampPositive(Duration.between(Instant.now(clock), nextRevocation.get()));
      retry = retry == null || untilRevocation.compareTo(retry) < 0 ? untilRevocation : retry;
    }
    return new StatusException(problem.reason(), problem.getMessage(), retry);
  }

  /** When a readable-back key (Statsig) is next read back. */
  private Optional<Instant> nextReadBack(ApiKey apiKey, Provider provider) {
    if (!readsBack(provider)) {
      return Optional.empty();
    }
    return Optional.ofNullable(readBacks.get(apiKey.getMetadata().getUid()));
  }

  /**
   * Statsig keys can be read back: at the provider's readBackInterval, check that the current key is still active.
   * A key deleted or deactivated outside the operator is reported (Report) or replaced (Recreate, or a rotation
   * request). It is dead already, so it is dropped, not revoked.
   */
  private Ledger handleExternalRevocation(ApiKey apiKey, Ledger ledger, Provider provider, boolean rotating)
      throws StatusException {
    LedgerKey current = ledger.current();
    if (current == null || !readsBack(provider)) {
      return ledger;
    }
    String uid = apiKey.getMetadata().getUid();
    Instant now = Instant.now(clock);
    Duration interval = provider.vendor().orElseThrow().readBackInterval(provider.spec());
    // After a restart, spread the first read-backs over one interval instead of reading every key at once.
    Instant due = readBacks.computeIfAbsent(uid, u -> now.plusMillis((long) (random.nextDouble()
        * interval.toMillis())));
    if (!current.name().equals(ledger.revokedExternally()) && !now.isBefore(due)) {
      readBacks.put(uid, now.plus(interval));
      VendorConnections.Connection connection = connect(provider, Reason.ProviderNotReady);
      try {
        if (!connection.issuer().isActive(current)) {
          LOG.warn("Key {} was deleted or deactivated outside the operator", current.name());
          events.warning(apiKey, Reason.KeyRevokedExternally.name(), "Key " + current.name() + " was deleted or "
              + "deactivated outside the operator");
          ledger = ledgers.write(apiKey, ledger.withRevokedExternally(current.name()));
        }
      } catch (VendorException e) {
        LOG.warn("Could not read key {} back: {}", current.name(), e.getMessage());
      }
    }
    if (!current.name().equals(ledger.revokedExternally())) {
      return ledger;
    }
    if (rotating || apiKey.getSpec().onExternalRevocation == ExternalRevocationPolicy.Recreate) {
      return ledgers.write(apiKey, ledger.without(current).withRevokedExternally(null));
    }
    throw new StatusException(Reason.KeyRevokedExternally, "Key " + current.name() + " in Secret "
        + ManagedSecrets.secretName(apiKey) + " was deleted or deactivated outside the operator and no longer works. "
        + "Set spec.onExternalRevocation: Recreate, or the annotation " + ROTATE_ANNOTATION + ", to get a new key",
        null);
  }

  /** Brings a live key's in-place settings (Statsig description, scopes, ...) to the spec: no new key. */
  private Ledger updateSettings(ApiKey apiKey, Ledger ledger, Provider provider) throws StatusException {
    LedgerKey current = ledger.current();
    String settings = settings(apiKey);
    if (settings.equals(current.settings())) {
      return ledger;
    }
    Optional<Duration> wait = connections.throttle(provider).acquire(apiKey.getMetadata().getUid());
    if (wait.isPresent()) {
      throw new StatusException(Reason.RateLimited, "Waiting for the provider's rate limit to update key "
          + current.name() + " in place", wait.get());
    }
    VendorConnections.Connection connection = connect(provider, Reason.ProviderNotReady);
    try {
      connection.issuer().updateInPlace(current, apiKey.getSpec());
    } catch (VendorException e) {
      throw vendorFailure(apiKey, e, connection);
    }
    connection.throttle().recordSuccess();
    LOG.info("Updated key {} in place", current.name());
    events.normal(apiKey, "Updated", "Updated key " + current.name() + " in place (no new key)");
    return ledgers.write(apiKey, ledger.withCurrent(current.withSettings(settings)));
  }

  /**
   * The ledger was deleted by hand while the status still names a key: rebuild it from the managed Secret (which
   * holds the value and carries the fingerprint), so that key stays revocable and is not replaced.
   */
  private Ledger recoverLedger(ApiKey apiKey, Ledger ledger) {
    KeyStatus known = apiKey.getStatus() == null ? null : apiKey.getStatus().key;
    if (!ledger.isEmpty() || known == null || known.fingerprint == null) {
      return ledger;
    }
    Ledger fresh = ledgers.fresh(apiKey);
    if (!fresh.isEmpty()) {
      return fresh; // only the cache was behind
    }
    String secretName = apiKey.getStatus().secretName != null ? apiKey.getStatus().secretName
        : ManagedSecrets.secretName(apiKey);
    Secret secret = secretWriter.current(apiKey, secretName);
    String value = secret == null || !ManagedSecrets.isOwnedBy(secret, apiKey) ? null
        : ManagedSecrets.value(secret, ManagedSecrets.dataKey(apiKey));
    if (value == null || !KeyValue.of(value).fingerprint().equals(known.fingerprint)) {
      LOG.warn("The key ledger is gone and Secret {} does not hold key {} any more: it cannot be revoked from here",
          secretName, known.name);
      events.warning(apiKey, "LedgerLost", "The operator's record " + LedgerStore.ledgerName(apiKey.getMetadata()
          .getName()) + " was deleted and Secret " + secretName + " no longer holds key " + known.name
          + (known.id == null ? "; revoke it by hand in the vendor's UI" : " (vendor id " + known.id + ")")
          + ". Never delete the ledger Secret");
      return ledger;
    }
    LedgerKey key = new LedgerKey(known.name, known.id, KeyValue.of(value), Instant.parse(known.createdAt), null,
        specIdentity(apiKey), settings(apiKey), null);
    LOG.warn("Rebuilt the deleted key ledger from Secret {} (key {})", secretName, known.name);
    events.warning(apiKey, "LedgerRebuilt", "The operator's record " + LedgerStore.ledgerName(apiKey.getMetadata()
        .getName()) + " was deleted; it was rebuilt from Secret " + secretName + ". Never delete it by hand");
    return ledgers.write(apiKey, ledger.withCurrent(key));
  }

  /** Takes the key in spec.adopt.secretRef under management: no vendor call, nothing created. */
  private Ledger adopt(ApiKey apiKey, Ledger ledger, String specIdentity) throws StatusException {
    AdoptSpec adopt = apiKey.getSpec().adopt;
    String dataKey = adopt.secretRef.key == null || adopt.secretRef.key.isBlank() ? SecretSpec.DEFAULT_KEY
        : adopt.secretRef.key;
    String namespace = apiKey.getMetadata().getNamespace();
    Secret source = client.secrets().inNamespace(namespace).withName(adopt.secretRef.name).get();
    String value = source == null ? null : ManagedSecrets.value(source, dataKey);
    if (value == null || value.isBlank()) {
      throw new StatusException(Reason.InvalidSpec, "spec.adopt.secretRef names Secret " + namespace + "/"
          + adopt.secretRef.name + " with data key '" + dataKey + "', which " + (source == null ? "does not exist"
          : "is missing or empty") + ": create it, or fix spec.adopt. No key was created", LOOK_AGAIN);
    }
    KeyValue key = KeyValue.of(value.strip());
    String name = "adopted-" + key.fingerprint().substring("sha256:".length(), "sha256:".length() + 8);
    // Settings unknown (""): a vendor that updates keys in place brings the adopted key to the spec.
    LedgerKey adopted = new LedgerKey(name, adopt.id, key, Instant.now(clock), null, specIdentity,
        settings(apiKey).isEmpty() ? "" : "adopted", null);
    ledger = ledgers.write(apiKey, ledger.withCurrent(adopted));
    LOG.info("Adopted the key in Secret {} as {}", adopt.secretRef.name, name);
    events.normal(apiKey, "Adopted", "Took the existing key in Secret " + adopt.secretRef.name + " ("
        + key.fingerprint() + ") under management; no key was created");
    return ledger;
  }

  /** Restarts the rollout targets once per key change (a first key needs no restart). */
  private Ledger rollOut(ApiKey apiKey, Ledger ledger) {
    String fingerprint = ledger.current().value().fingerprint();
    if (fingerprint.equals(ledger.rolledOutFingerprint())) {
      return ledger;
    }
    if (ledger.rolledOutFingerprint() != null) {
      restarter.restart(apiKey, fingerprint);
    }
    return ledgers.write(apiKey, ledger.withRolledOut(fingerprint));
  }

  /** Why the current key must be rotated now (schedule due, or a new rotate-requested-at value), if it must. */
  private Optional<String> rotationWanted(ApiKey apiKey, Ledger ledger) {
    if (ledger.current() == null) {
      return Optional.empty();
    }
    String request = annotation(apiKey, ROTATE_ANNOTATION);
    if (request != null && !request.equals(ledger.rotateRequest())) {
      return Optional.of("rotation requested (" + ROTATE_ANNOTATION + ": " + request + ")");
    }
    return nextRotation(apiKey, ledger.current()).filter(when -> !when.isAfter(Instant.now(clock)))
        .map(when -> "scheduled rotation (spec.rotation.every: " + apiKey.getSpec().rotation.every + ")");
  }

  private static Optional<Instant> nextRotation(ApiKey apiKey, LedgerKey current) {
    RotationSpec rotation = apiKey.getSpec().rotation;
    if (rotation == null || rotation.every == null || current == null) {
      return Optional.empty();
    }
    return Optional.of(current.createdAt().plus(GoDuration.parse(rotation.every)));
  }

  private static Duration gracePeriod(ApiKey apiKey) {
    RotationSpec rotation = apiKey.getSpec().rotation;
    return GoDuration.parse(rotation == null || rotation.gracePeriod == null ? RotationSpec.DEFAULT_GRACE_PERIOD
        : rotation.gracePeriod);
  }

  /** A policy that changes under a live key never revokes it on its own. */
  private static String keptOrNone(LedgerKey current) {
    return current == null ? ". No key was created."
        : ". The existing key " + current.name() + " is kept; nothing new is minted until the ApiKey complies.";
  }

  private StatusException providerNotFound(ApiKey apiKey) {
    ProviderRef ref = apiKey.getSpec().providerRef;
    String where = ref.kindOrDefault() == ProviderRef.Kind.ApiKeyProvider
        ? "ApiKeyProvider " + apiKey.getMetadata().getNamespace() + "/" + ref.name
        : "ClusterApiKeyProvider " + ref.name;
    return new StatusException(Reason.ProviderNotFound, where + " does not exist: create it (or fix "
        + "spec.providerRef). No key was created; it is created as soon as the provider exists", null);
  }

  /** The ledger after settling a pending creation, and the problem to report when it could not be settled. */
  private record Settled(Ledger ledger, StatusException problem) {}

  /**
   * Settles an intent to create that has no outcome (a restart after the vendor call, or an answer lost). Where the
   * vendor can list keys (Statsig), the key is looked up by its name and recorded, or found absent and the intent
   * dropped, without a human. Elsewhere it is CreationIndeterminate until acknowledged.
   */
  private Settled settlePending(ApiKey apiKey, Ledger cached, Optional<Provider> provider) {
    if (cached.pending() == null) {
      return new Settled(cached, null);
    }
    Ledger ledger = ledgers.fresh(apiKey); // the cache may lag behind our own outcome write
    PendingCreation pending = ledger.pending();
    if (pending == null) {
      return new Settled(ledger, null);
    }
    String acknowledged = annotation(apiKey, ACKNOWLEDGE_ANNOTATION);
    if (pending.name().equals(acknowledged)) {
      ledger = ledgers.write(apiKey, ledger.withPending(null));
      LOG.info("Cleared the indeterminate creation of key {} (acknowledged)", pending.name());
      events.normal(apiKey, "IndeterminateAcknowledged", "Key " + pending.name() + " was acknowledged; the "
          + "operator goes on");
      return new Settled(ledger, null);
    }
    if (apiKey.getSpec() != null && provider.isPresent()
        && Vendors.ofKey(apiKey.getSpec()).stream().anyMatch(v -> v.capabilities().findsLostKeys())) {
      return lookUpLostKey(apiKey, ledger, pending, provider.get());
    }
    return indeterminate(apiKey, ledger);
  }

  private Settled lookUpLostKey(ApiKey apiKey, Ledger ledger, PendingCreation pending, Provider provider) {
    LedgerKey rotatedFrom = pending.rotatedFrom() == null || ledger.current() == null
        || !pending.rotatedFrom().equals(ledger.current().name()) ? null : ledger.current();
    try {
      VendorConnections.Connection connection = connect(provider, Reason.ProviderNotReady);
      Optional<MintedKey> found = connection.issuer().findLost(pending.name(), rotatedFrom);
      if (found.isPresent()) {
        MintedKey minted = found.get();
        String identity = specIdentity(apiKey);
        LedgerKey key = new LedgerKey(pending.name(), minted.id(), minted.value(), minted.createdAt(), identity,
            identity, "", null);
        ledger = recordCreated(apiKey, ledger, key, rotatedFrom != null ? Duration.ZERO : gracePeriod(apiKey));
        LOG.info("Found key {} by listing keys (its create answer was lost) and recorded it", pending.name());
        events.normal(apiKey, "Recovered", "Found key " + pending.name() + " by listing the vendor's keys after its "
            + "answer was lost; recorded it");
        return new Settled(ledger, null);
      }
      if (rotatedFrom != null && connection.issuer().isActive(rotatedFrom) || rotatedFrom == null) {
        LOG.info("Key {} was not created (not found by listing); trying again", pending.name());
        return new Settled(ledgers.write(apiKey, ledger.withPending(null)), null);
      }
      return indeterminate(apiKey, ledger);
    } catch (StatusException e) {
      return new Settled(ledger, e);
    } catch (VendorException e) {
      return new Settled(ledger, new StatusException(Reason.Provisioning, "The answer to creating key "
          + pending.name() + " was lost; looking it up by listing keys failed (" + e.getMessage() + "). Retrying",
          backoff.next(apiKey.getMetadata().getUid())));
    }
  }

  /**
   * Reports the ledger's pending creation as CreationIndeterminate. The Warning event that names the key is written
   * first and then marked in the ledger, so whatever dies when, every indeterminate key gets its event at least once
   * (a kill between the two writes only repeats it); neither the status nor memory decides that it was sent.
   */
  private Settled indeterminate(ApiKey apiKey, Ledger ledger) {
    PendingCreation pending = ledger.pending();
    String keyName = pending.name();
    String message = "Key " + keyName + " may have been created at the vendor, but its answer was lost (operator "
        + "restarted or connection dropped), so it cannot be revoked from here. Find " + keyName + " in the "
        + "vendor's UI and revoke it (or keep it), then set the annotation " + ACKNOWLEDGE_ANNOTATION + "="
        + keyName + " on this ApiKey; until then no other key is created";
    if (pending.warned()) {
      return new Settled(ledger, new StatusException(Reason.CreationIndeterminate, message, null));
    }
    if (!events.tryWarning(apiKey, Reason.CreationIndeterminate.name(), message)) {
      return new Settled(ledger, new StatusException(Reason.CreationIndeterminate, message, WARN_AGAIN));
    }
    try {
      ledger = ledgers.write(apiKey, ledger.withPending(pending.asWarned()));
    } catch (KubernetesClientException e) {
      LOG.warn("Could not mark the Warning event about key {} as written ({}); it is written again", keyName,
          e.getMessage());
      return new Settled(ledger, new StatusException(Reason.CreationIndeterminate, message, WARN_AGAIN));
    }
    return new Settled(ledger, new StatusException(Reason.CreationIndeterminate, message, null));
  }

  /** Creates the key the spec needs (first key, replacement after an identity change, or rotation). */
  private Ledger provideKey(ApiKey apiKey, Ledger ledger, Provider provider, String specIdentity,
      Optional<String> rotation) throws StatusException {
    // Pace first: a key waiting for the rate limit costs no read of the credentials Secret and no lookup.
    Optional<Duration> wait = connections.throttle(provider).acquire(apiKey.getMetadata().getUid());
    if (wait.isPresent()) {
      // No number of seconds in the message: a status that changes at every retry would be written at every retry.
      throw new StatusException(Reason.RateLimited, "Waiting for the provider's rate limit (its rateLimit, or the "
          + "pace learned from the vendor's 429s); the key is created as soon as it allows", wait.get());
    }
    VendorConnections.Connection connection = connect(provider, Reason.ProviderNotReady);
    return provideKey(apiKey, ledger, provider, specIdentity, rotation, connection, connection.issuer());
  }

  private <R> Ledger provideKey(ApiKey apiKey, Ledger ledger, Provider provider, String specIdentity,
      Optional<String> rotation, VendorConnections.Connection connection, Issuer<R> issuer) throws StatusException {
    LedgerKey current = ledger.current();
    KeyPlan<R> plan;
    try {
      plan = issuer.plan(apiKey.getSpec());
    } catch (PlanException e) {
      boolean lookAgain = e.reason() != Reason.PolicyDenied;
      throw new StatusException(e.reason(), e.getMessage() + (lookAgain ? "; the operator looks "
          + "again every " + LOOK_AGAIN.toSeconds() + "s" : "") + keptOrNone(current), lookAgain ? LOOK_AGAIN : null);
    } catch (VendorException e) {
      throw vendorFailure(apiKey, e, connection);
    }
    if (current != null && plan.identity().equals(current.identity()) && rotation.isEmpty()) {
      // Same key, spelled differently (a name replaced by its id, or the reverse): nothing to mint.
      return ledgers.write(apiKey, ledger.withCurrent(current.withSpecIdentity(specIdentity)));
    }
    checkSecretIsOurs(apiKey);
    boolean nativeRotation = current != null && rotation.isPresent() && plan.identity().equals(current.identity())
        && connection.vendor().capabilities().rotatesNatively() && gracePeriod(apiKey).isZero();
    String keyName = newKeyName(apiKey, provider);
    ledger = writeIntent(apiKey, ledger, keyName, nativeRotation ? current.name() : null);
    MintedKey minted;
    try {
      minted = nativeRotation ? connection.issuer().rotate(current, keyName)
          : issuer.create(plan, keyName);
    } catch (VendorOutcomeUnknownException e) {
      LOG.warn("Lost the answer to creating key {}: {}", keyName, e.getMessage());
      if (connection.vendor().capabilities().findsLostKeys()) {
        throw new StatusException(Reason.Provisioning, "The answer to creating key " + keyName + " was lost; the "
            + "operator looks it up by listing keys", Duration.ofSeconds(2));
      }
      throw indeterminate(apiKey, ledger).problem();
    } catch (VendorException e) {
      if (e instanceof VendorErrorException v && !v.permanent() && connection.vendor().capabilities().findsLostKeys()) {
        // A 5xx may come from a gateway that passed the create on: look the key up before creating again.
        throw new StatusException(Reason.Provisioning, "Creating key " + keyName + " failed (" + e.getMessage()
            + "); the operator checks by listing keys whether it was created anyway",
            backoff.next(apiKey.getMetadata().getUid()));
      }
      ledgers.write(apiKey, ledger.withPending(null)); // the vendor answered: nothing was created
      throw vendorFailure(apiKey, e, connection);
    }
    connection.throttle().recordSuccess();
    // A native rotation copies the old description: the in-place update below renames the new key.
    String settings = nativeRotation ? "" : settings(apiKey);
    LedgerKey key = new LedgerKey(keyName, minted.id(), minted.value(),
        minted.createdAt() == null ? Instant.now(clock) : minted.createdAt(), plan.identity(), specIdentity,
        settings, null);
    ledger = recordCreated(apiKey, ledger, key, nativeRotation ? Duration.ZERO : gracePeriod(apiKey));
    String why = current == null ? "first key" : rotation.orElse("identity changed") + "; replaces "
        + current.name() + (nativeRotation ? " (rotated by the vendor: the old key stopped working)"
        : ", which is revoked after the grace period");
    LOG.info("Created key {} ({})", keyName, why);
    metrics.keyCreated(current != null);
    events.normal(apiKey, "Created", "Created key " + keyName + " (" + key.value().fingerprint() + "): " + why);
    return ledger;
  }

  private Ledger writeIntent(ApiKey apiKey, Ledger ledger, String keyName, String rotatedFrom)
      throws StatusException {
    try {
      return ledgers.write(apiKey, ledger.withPending(new PendingCreation(keyName, Instant.now(clock), rotatedFrom)));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 && ledger.resourceVersion() == null) {
        Optional<Secret> foreign = ledgers.foreignLedgerSecret(apiKey);
        if (foreign.isPresent()) {
          throw new StatusException(Reason.SecretConflict, "Secret " + apiKey.getMetadata().getNamespace() + "/"
              + LedgerStore.ledgerName(apiKey.getMetadata().getName()) + " exists and is not this ApiKey's: the "
              + "operator keeps its records there. Rename or delete that Secret. No key was created.", LOOK_AGAIN);
        }
      }
      throw e; // a concurrent write: JOSDK retries with a fresh view
    }
  }

  /** Records a created key; the one write that must not be lost, so it is retried on fresh reads. */
  private Ledger recordCreated(ApiKey apiKey, Ledger ledger, LedgerKey key, Duration grace) {
    Instant retireUntil = Instant.now(clock).plus(grace);
    String request = annotation(apiKey, ROTATE_ANNOTATION);
    KubernetesClientException last = null;
    Ledger base = ledger;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Ledger written = ledgers.write(apiKey, base.withCreated(key, retireUntil,
            request != null ? request : base.rotateRequest()));
        unrecorded.remove(apiKey.getMetadata().getUid());
        return written;
      } catch (KubernetesClientException e) {
        last = e;
        try {
          base = ledgers.fresh(apiKey);
        } catch (KubernetesClientException readFailure) {
          last = readFailure;
        }
      }
    }
    unrecorded.put(apiKey.getMetadata().getUid(), key);
    LOG.error("Could not record key {} yet; it is kept in memory and recorded on the next attempt", key.name());
    throw last;
  }

  private Ledger recordUnrecorded(ApiKey apiKey, Ledger cached) {
    LedgerKey key = unrecorded.get(apiKey.getMetadata().getUid());
    return key == null ? cached : recordCreated(apiKey, ledgers.fresh(apiKey), key, gracePeriod(apiKey));
  }

  private String newKeyName(ApiKey apiKey, Provider provider) {
    String base = apiKey.getSpec().keyName != null ? apiKey.getSpec().keyName
        : apiKey.getMetadata().getNamespace() + "-" + apiKey.getMetadata().getName();
    String prefix = provider.spec().keyNamePrefix == null ? "" : provider.spec().keyNamePrefix;
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      suffix.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
    }
    return prefix + base + "-" + suffix;
  }

  // ------------------------------------------------------------------------------------------------- Secret

  private void checkSecretIsOurs(ApiKey apiKey) throws StatusException {
    try {
      secretWriter.checkWritable(apiKey);
    } catch (SecretConflictException e) {
      throw new StatusException(Reason.SecretConflict, e.getMessage(), LOOK_AGAIN);
    }
  }

  private void ensureSecret(ApiKey apiKey, LedgerKey current) throws StatusException {
    try {
      secretWriter.ensure(apiKey, current.value(), current.name());
    } catch (SecretConflictException e) {
      throw new StatusException(Reason.SecretConflict, e.getMessage(), LOOK_AGAIN);
    }
  }

  // ------------------------------------------------------------------------------------------- revocation

  /** Revokes replaced keys whose grace period is over. A failure keeps them, to be tried again later. */
  private Ledger revokeDue(ApiKey apiKey, Ledger ledger, Provider provider) throws StatusException {
    Instant now = Instant.now(clock);
    List<LedgerKey> due = ledger.previous().stream()
        .filter(k -> k.revokeAfter() == null || !k.revokeAfter().isAfter(now)).toList();
    for (LedgerKey key : due) {
      ledger = revoke(apiKey, ledger, provider, key);
    }
    return ledger;
  }

  private Ledger revoke(ApiKey apiKey, Ledger ledger, Provider provider, LedgerKey key) throws StatusException {
    return revoke(apiKey, ledger, provider, key, false);
  }

  private Ledger revoke(ApiKey apiKey, Ledger ledger, Provider provider, LedgerKey key, boolean deactivate)
      throws StatusException {
    Optional<Duration> wait = connections.throttle(provider).acquire(apiKey.getMetadata().getUid());
    if (wait.isPresent()) {
      throw new StatusException(Reason.RateLimited, "Key " + key.name() + " is revoked as soon as the provider's "
          + "rate limit allows", wait.get());
    }
    VendorConnections.Connection connection = connect(provider, Reason.RevocationFailed);
    try {
      if (deactivate) {
        connection.issuer().deactivate(key);
      } else {
        connection.issuer().revoke(key);
      }
    } catch (VendorException e) {
      if (e instanceof VendorRateLimitedException r && r.retryAfter() != null) {
        connection.throttle().blockFor(r.retryAfter());
      }
      metrics.revocationFailed();
      Duration retry = retryDelay(apiKey, e);
      throw new StatusException(Reason.RevocationFailed, "Could not revoke key " + key.name() + ": "
          + e.getMessage() + ". Retrying in " + retry.toSeconds() + "s", retry);
    }
    connection.throttle().recordSuccess();
    LOG.info("{} key {}", deactivate ? "Deactivated" : "Revoked", key.name());
    metrics.keyRevoked();
    events.normal(apiKey, deactivate ? "Deactivated" : "Revoked", (deactivate ? "Deactivated key " : "Revoked key ")
        + key.name());
    return ledgers.write(apiKey, ledger.without(key));
  }

  // ------------------------------------------------------------------------------------------------ cleanup

  @Override
  public DeleteControl cleanup(ApiKey apiKey, Context<ApiKey> context) {
    try (var ignored = logContext(apiKey)) {
      try {
        cleanUp(apiKey);
        backoff.reset(apiKey.getMetadata().getUid());
        unrecorded.remove(apiKey.getMetadata().getUid());
        readBacks.remove(apiKey.getMetadata().getUid());
        metrics.apiKeyReason(apiKey.getMetadata().getUid(), null);
        return DeleteControl.defaultDelete();
      } catch (StatusException e) {
        ApiKeyStatus status = copyOf(apiKey.getStatus());
        setReady(apiKey, status, e.reason(), e.getMessage());
        if (!status.equals(apiKey.getStatus())) {
          client.resources(ApiKey.class).inNamespace(apiKey.getMetadata().getNamespace())
              .withName(apiKey.getMetadata().getName()).editStatus(a -> {
                a.setStatus(status);
                return a;
              });
        }
        DeleteControl control = DeleteControl.noFinalizerRemoval();
        return e.retryAfter() == null ? control : control.rescheduleAfter(e.retryAfter().toMillis());
      }
    }
  }

  private void cleanUp(ApiKey apiKey) throws StatusException {
    if (isPaused(apiKey)) {
      throw new StatusException(Reason.Paused, "Deletion waits: the annotation " + PAUSED_ANNOTATION + " stops all "
          + "vendor calls, including revocation. Remove it to let the deletion finish", null);
    }
    Optional<Provider> found = providers.find(apiKey);
    Ledger ledger = recordUnrecorded(apiKey, ledgers.fresh(apiKey));
    Settled settled = settlePending(apiKey, ledger, found);
    if (settled.problem() != null) {
      throw settled.problem();
    }
    ledger = settled.ledger();
    DeletionPolicy policy = apiKey.getSpec() == null ? DeletionPolicy.Delete
        : apiKey.getSpec().deletionPolicyOrDefault();
    boolean orphan = policy == DeletionPolicy.Orphan;
    List<LedgerKey> toRevoke = new ArrayList<>(ledger.previous());
    LedgerKey current = ledger.current();
    boolean currentAlreadyDead = current != null && current.name().equals(ledger.revokedExternally());
    if (!orphan && current != null && !currentAlreadyDead) {
      toRevoke.add(current);
    }
    if (!toRevoke.isEmpty()) {
      Provider provider = found.orElseThrow(() -> new StatusException(Reason.RevocationFailed,
          "Cannot revoke " + names(toRevoke) + ": the provider " + apiKey.getSpec().providerRef.name + " is gone. "
              + "Recreate it so the keys can be revoked", LOOK_AGAIN));
      for (LedgerKey key : toRevoke) {
        boolean deactivate = policy == DeletionPolicy.Deactivate && key == current;
        ledger = revoke(apiKey, ledger, provider, key, deactivate);
      }
    }
    if (orphan && ledger.current() != null) {
      secretWriter.orphan(apiKey);
      LOG.info("Kept key {} at the vendor (deletionPolicy Orphan)", ledger.current().name());
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** Connects to the provider's vendor once per reconcile: the credentials Secret is read once. */
  private VendorConnections.Connection connect(Provider provider, Reason reason) throws StatusException {
    try {
      Visit visit = visits.get(Thread.currentThread());
      if (visit != null && visit.provider().equals(provider.uid())) {
        return visit.connection();
      }
      VendorConnections.Connection connection = connections.connect(provider);
      visits.put(Thread.currentThread(), new Visit(provider.uid(), connection));
      return connection;
    } catch (ProviderProblem p) {
      String message = reason == Reason.RevocationFailed ? "Cannot revoke: " + p.getMessage() : p.getMessage();
      throw new StatusException(reason, message, LOOK_AGAIN);
    }
  }

  /** Maps a vendor failure that happened before anything was created. */
  private StatusException vendorFailure(ApiKey apiKey, VendorException e, VendorConnections.Connection connection) {
    if (e instanceof VendorUnauthorizedException) {
      return new StatusException(Reason.VendorUnauthorized, e.getMessage(), LOOK_AGAIN);
    }
    if (e instanceof VendorRateLimitedException r) {
      Duration wait = r.retryAfter() != null ? r.retryAfter() : backoff.next(apiKey.getMetadata().getUid());
      connection.throttle().blockFor(wait);
      return new StatusException(Reason.RateLimited, "The vendor answered 429 (rate limited); trying again in "
          + wait.toSeconds() + "s", wait);
    }
    if (e instanceof VendorErrorException v && v.permanent()) {
      return new StatusException(Reason.VendorError, e.getMessage(), LOOK_AGAIN);
    }
    Duration retry = retryDelay(apiKey, e);
    return new StatusException(Reason.VendorError, e.getMessage() + ". Retrying in " + retry.toSeconds() + "s",
        retry);
  }

  private Duration retryDelay(ApiKey apiKey, VendorException e) {
    if (e instanceof VendorRateLimitedException r && r.retryAfter() != null) {
      return r.retryAfter();
    }
    return backoff.next(apiKey.getMetadata().getUid());
  }

  private void describeKeys(Ledger ledger, ApiKeyStatus status) {
    LedgerKey current = ledger.current();
    KeyStatus key = new KeyStatus();
    key.name = current.name();
    key.id = current.id();
    key.fingerprint = current.value().fingerprint();
    key.createdAt = current.createdAt().truncatedTo(ChronoUnit.SECONDS).toString();
    status.key = key;
    status.previousKeys = ledger.previous().isEmpty() ? null : ledger.previous().stream().map(k -> {
      PreviousKeyStatus p = new PreviousKeyStatus();
      p.name = k.name();
      p.fingerprint = k.value().fingerprint();
      p.revokeAfter = k.revokeAfter() == null ? null : k.revokeAfter().truncatedTo(ChronoUnit.SECONDS).toString();
      return p;
    }).toList();
  }

  private void setReady(ApiKey apiKey, ApiKeyStatus status, Reason reason, String message) {
    Long generation = apiKey.getMetadata().getGeneration();
    boolean wasReason = isReason(apiKey, reason);
    status.conditions = Conditions.set(status.conditions, Conditions.READY, reason.ready(), reason.name(), message,
        generation, clock);
    status.observedGeneration = generation;
    metrics.apiKeyReason(apiKey.getMetadata().getUid(), reason);
    if (reason.failure() && !wasReason && reason != Reason.CreationIndeterminate) {
      events.warning(apiKey, reason.name(), message);
      LOG.warn("{}: {}", reason, message);
    }
  }

  private UpdateControl<ApiKey> finish(ApiKey apiKey, ApiKeyStatus status, Duration lookAgain) {
    UpdateControl<ApiKey> control;
    if (status.equals(apiKey.getStatus())) {
      control = UpdateControl.noUpdate();
    } else {
      apiKey.setStatus(status);
      control = UpdateControl.patchStatus(apiKey);
    }
    return lookAgain == null ? control : control.rescheduleAfter(lookAgain);
  }

  private static boolean isReason(ApiKey apiKey, Reason reason) {
    return apiKey.getStatus() != null && Conditions.find(apiKey.getStatus().conditions, Conditions.READY)
        .map(StatusCondition::getReason).filter(reason.name()::equals).isPresent();
  }

  private static boolean readsBack(Provider provider) {
    return provider.vendor().map(v -> v.capabilities().readsBack()).orElse(false);
  }

  private static String specIdentity(ApiKey apiKey) {
    return Vendors.of(apiKey.getSpec()).specIdentity(apiKey.getSpec());
  }

  private static String settings(ApiKey apiKey) {
    return Vendors.of(apiKey.getSpec()).settings(apiKey.getSpec());
  }

  private static boolean isPaused(ApiKey apiKey) {
    return "true".equalsIgnoreCase(annotation(apiKey, PAUSED_ANNOTATION));
  }

  private static String annotation(ApiKey apiKey, String name) {
    Map<String, String> annotations = apiKey.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  private static String names(List<LedgerKey> keys) {
    return keys.stream().map(LedgerKey::name).collect(Collectors.joining(", "));
  }

  private static Duration clampPositive(Duration d) {
    return d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d.plusSeconds(1);
  }

  private static ApiKeyStatus copyOf(ApiKeyStatus s) {
    ApiKeyStatus c = new ApiKeyStatus();
    if (s != null) {
      c.observedGeneration = s.observedGeneration;
      c.conditions = s.conditions == null ? new ArrayList<>() : new ArrayList<>(s.conditions);
      c.key = s.key;
      c.previousKeys = s.previousKeys;
      c.nextRotationAt = s.nextRotationAt;
      c.secretName = s.secretName;
    }
    return c;
  }

  /** A scope that closes without checked exceptions. */
  private interface LogContext extends AutoCloseable {
    @Override
    void close();
  }

  /** Puts the ApiKey's namespace and name on every log line written while handling it. */
  private LogContext logContext(ApiKey apiKey) {
    MDC.put("namespace", apiKey.getMetadata().getNamespace());
    MDC.put("apikey", apiKey.getMetadata().getName());
    visits.remove(Thread.currentThread());
    return () -> {
      visits.remove(Thread.currentThread());
      MDC.remove("namespace");
      MDC.remove("apikey");
    };
  }
}
