package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.ApiKeyStatus;
import dev.apikeyoperator.customresource.DeletionPolicy;
import dev.apikeyoperator.customresource.ExternalRevocationPolicy;
import dev.apikeyoperator.customresource.RotationSpec;
import dev.apikeyoperator.events.EventRecorder;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.ledger.LedgerStore;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.provider.Provider;
import dev.apikeyoperator.provider.Providers;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.secret.SecretConflictException;
import dev.apikeyoperator.secret.SecretTemplates;
import dev.apikeyoperator.secret.SecretTooLargeException;
import dev.apikeyoperator.secret.SecretWriter;
import dev.apikeyoperator.status.Reason;
import dev.apikeyoperator.validation.SpecValidator;
import dev.apikeyoperator.workload.Consumers;
import dev.apikeyoperator.workload.KeyUse;
import dev.apikeyoperator.workload.RolloutRestarter;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs the steps {@link KeyDecision#next} decides, one at a time, each outcome recorded in the ledger before the
 * next decision. Crash safety rests on the {@link Ledger}: the intent to create a key is written (with optimistic
 * locking) before the vendor call, and the created key, with its revocation handle, right after. An intent without
 * an outcome is reported as {@code CreationIndeterminate}, never retried silently. Knows no vendor by name.
 */
public final class StepExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(StepExecutor.class);
  private static final Duration LOOK_AGAIN = IssuerCalls.LOOK_AGAIN;
  /** More steps than any pass needs: a decision that does not move on is a bug, not a reason to spin. */
  private static final int MAX_STEPS = 64;
  private final KubernetesClient client;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final RolloutRestarter restarter;
  private final KeyUse keyUse;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Backoff backoff = new Backoff();
  private final IssuerCalls calls;
  private final LedgerStore ledgers;
  private final LedgerWrites writes;
  private final PendingCreations pendings;
  private final KeyMinter minter;
  private final SecretWriter secretWriter;
  private final Providers providers;
  private final ProviderGates providerGates;
  private final KeyReadBack readBacks;
  private final KeyRevocations revocations;
  /** The generation each ApiKey was last warned about for unknown fields (a restart may warn once more). */
  private final Map<String, Long> warnedUnknown = new ConcurrentHashMap<>();

  public StepExecutor(KubernetesClient client, VendorConnections connections, EventRecorder events,
      OperatorMetrics metrics, Clock clock, LedgerStore ledgers, SecretWriter secretWriter, Providers providers,
      Function<String, Optional<Namespace>> namespaces, Consumers consumers) {
    this.client = client;
    this.events = events;
    this.metrics = metrics;
    this.restarter = new RolloutRestarter(client, events, metrics, consumers);
    this.keyUse = new KeyUse(consumers, events);
    this.clock = clock;
    this.calls = new IssuerCalls(connections, backoff);
    this.ledgers = ledgers;
    this.writes = new LedgerWrites(ledgers, clock);
    this.pendings = new PendingCreations(ledgers, writes, events);
    this.minter = new KeyMinter(ledgers, writes, pendings, secretWriter, events, metrics, clock);
    this.secretWriter = secretWriter;
    this.providers = providers;
    this.providerGates = new ProviderGates(namespaces);
    this.readBacks = new KeyReadBack(ledgers, events, clock, random);
    this.revocations = new KeyRevocations(providers, keyUse, metrics, events, ledgers);
  }

  /** A reconcile went through: its transient-failure backoff starts over. */
  public void succeeded(String uid) {
    backoff.reset(uid);
  }

  /** The ApiKey is gone: forget what is kept in memory about it. */
  public void forget(String uid) {
    backoff.reset(uid);
    writes.forget(uid);
    readBacks.forget(uid);
    minter.forget(uid);
    warnedUnknown.remove(uid);
  }

  /** What a reconcile reports: the Ready reason and message, and when to look again (null: on the next change). */
  public record Outcome(Reason reason, String message, Duration lookAgain) {}

  /** Brings the vendor key and the Secret to the spec, and reports; a problem ends it early as StatusException. */
  public Outcome converge(ApiKey apiKey, ApiKeyStatus status) throws StatusException {
    return LedgerRecovery.verified(apiKey, ledgers, events, () -> convergeVerified(apiKey, status));
  }

  private Outcome convergeVerified(ApiKey apiKey, ApiKeyStatus status) throws StatusException {
    try (IssuerCalls.Session visit = calls.session(apiKey)) {
      return convergeVisited(apiKey, status, visit);
    }
  }

  private Outcome convergeVisited(ApiKey apiKey, ApiKeyStatus status, IssuerCalls.Session visit)
      throws StatusException {
    if (isPaused(apiKey)) {
      throw new StatusException(Reason.Paused, Messages.paused(), null);
    }
    warnUnknownFields(apiKey);
    List<String> problems = SpecValidator.validate(apiKey);
    if (!problems.isEmpty()) {
      throw new StatusException(Reason.InvalidSpec, Messages.invalidSpec(problems), null);
    }
    Optional<Provider> found = providers.find(apiKey);
    Ledger ledger = writes.recordUnrecorded(apiKey, ledgers.cached(apiKey));
    if (found.isPresent()) {
      providerGates.check(apiKey, found.get(), ledger.current()); // before any vendor call, settling included
    }
    PendingCreations.Settled settled = pendings.settle(apiKey, ledger, found, visit);
    ledger = LedgerRecovery.recover(apiKey, settled.ledger(), ledgers, secretWriter, events);
    if (settled.problem() != null) {
      throw keepServing(apiKey, ledger, found, settled.problem(), visit);
    }
    Provider provider = found.orElseThrow(() -> ProviderGates.notFound(apiKey));
    status.secretName = ManagedSecrets.secretName(apiKey);
    Optional<String> restore = LedgerRecovery.awaitedRestore(apiKey, ledger, clock);
    if (restore.isPresent()) {
      throw new StatusException(Reason.Provisioning, Messages.awaitingRestore(restore.get(), LedgerRecovery.RESTORE_WAIT),
          Duration.ofSeconds(10));
    }
    // A provider that names no vendor fails at connect (ProviderNotReady), as any unusable provider does.
    Vendor vendor = provider.vendor().orElseGet(() -> Vendors.of(apiKey.getSpec()));
    Desired desired = desired(apiKey, vendor, provider);
    Capabilities can = vendor.capabilities();
    KeyDecision.Progress progress = KeyDecision.Progress.NONE;
    for (int i = 0; i < MAX_STEPS; i++) {
      Instant now = Instant.now(clock);
      Step step = KeyDecision.next(ledger, desired, can, progress, readBacks.due(apiKey, provider, ledger), now);
      if (step instanceof Step.ReportReady) {
        return reportReady(apiKey, ledger, provider, desired, status);
      } else if (step instanceof Step.ReportRevokedExternally s) {
        throw new StatusException(Reason.KeyRevokedExternally,
            Messages.revokedExternally(s.key().name(), ManagedSecrets.secretName(apiKey)), null);
      } else if (step instanceof Step.Adopt) {
        ledger = KeyAdoption.adopt(apiKey, ledger, desired, client, ledgers, events, clock, provider, visit);
      } else if (step instanceof Step.ReadBack) {
        ledger = readBacks.readBack(apiKey, ledger, provider, visit);
      } else if (step instanceof Step.DropRevoked) {
        ledger = ledgers.write(apiKey, ledger.without(ledger.current()).withRevokedExternally(null));
      } else if (step instanceof Step.Mint s) {
        ledger = minter.mint(apiKey, ledger, provider, desired, s.rotation(), visit);
        progress = progress.afterMint();
      } else if (step instanceof Step.UpdateInPlace) {
        ledger = updateInPlace(apiKey, ledger, provider, desired, visit);
        progress = progress.afterUpdate();
      } else if (step instanceof Step.WriteSecret) {
        ensureSecret(apiKey, ledger.current());
        progress = progress.afterSecret();
      } else if (step instanceof Step.RollOut) {
        ledger = rollOut(apiKey, ledger);
      } else if (step instanceof Step.Expire s) {
        ledger = revocations.expire(apiKey, ledger, provider, s.key(), visit);
      } else if (step instanceof Step.Revoke s) {
        Optional<String> held = keyUse.revocationHeld(apiKey, ledger.current());
        if (held.isPresent()) { // docs/guides/consumers.md: woken by the workloads' rollout, or looked at again
          Outcome ready = reportReady(apiKey, ledger, provider, desired, status);
          return new Outcome(ready.reason(), ready.message() + held.get(), KeyUse.RECHECK);
        }
        ledger = revocations.revoke(apiKey, ledger, Optional.of(provider), s.key(), false, visit);
      } else {
        throw new IllegalStateException("a pending creation after settling");
      }
    }
    throw new IllegalStateException("the key lifecycle did not settle in " + MAX_STEPS + " steps");
  }

  /** The key is in place: its status, and when to look again (the next revocation, rotation or read-back). */
  private Outcome reportReady(ApiKey apiKey, Ledger ledger, Provider provider, Desired desired,
      ApiKeyStatus status) {
    Optional<Instant> nextRotation = KeyDecision.nextRotation(desired, ledger.current());
    Optional<Instant> nextRevocation = KeyDecision.nextRevocation(ledger);
    Optional<Instant> nextReadBack = readBacks.next(apiKey, provider);
    KeyStatuses.describe(ledger, status);
    status.nextRotationAt = nextRotation.map(KeyStatuses::timestamp).orElse(null);
    Duration lookAgain = Stream.of(nextRevocation, nextRotation, nextReadBack).flatMap(Optional::stream)
        .min(Comparator.naturalOrder()).map(when -> clampPositive(Duration.between(Instant.now(clock), when)))
        .orElse(null);
    String keyName = ledger.current().name();
    return nextRevocation.isPresent()
        ? new Outcome(Reason.Rotating, Messages.rotating(keyName, status.secretName, ledger.previous(),
            nextRevocation.get()) + (KeyDecision.replacementHeld(ledger) ? Messages.replacementHeld(
            KeyDecision.MAX_AWAITING_REVOCATION) : ""), lookAgain)
        : new Outcome(Reason.KeyReady, Messages.ready(keyName, status.secretName, ManagedSecrets.dataKey(apiKey)),
            lookAgain);
  }

  private static Desired desired(ApiKey apiKey, Vendor vendor, Provider provider) {
    RotationSpec rotation = apiKey.getSpec().rotation;
    return new Desired(vendor.specIdentity(apiKey.getSpec()), vendor.settings(apiKey.getSpec()),
        apiKey.getSpec().adopt != null, LedgerWrites.annotation(apiKey, ApiKey.ROTATE_ANNOTATION),
        rotation == null ? null : rotation.every,
        apiKey.getSpec().onExternalRevocation == ExternalRevocationPolicy.Recreate
            || vendor.followsVendorValue(apiKey.getSpec()), provider.ref());
  }

  /**
   * While a creation awaits a human (or a provider), the key that is known keeps being served: the Secret is
   * restored if deleted (guarantee 5), and replaced keys are still revoked when their grace period ends.
   */
  private StatusException keepServing(ApiKey apiKey, Ledger ledger, Optional<Provider> provider,
      StatusException problem, IssuerCalls.Session visit) {
    Duration retry = problem.retryAfter();
    try {
      if (ledger.current() != null) {
        ensureSecret(apiKey, ledger.current());
      }
      if (provider.isPresent() && keyUse.revocationHeld(apiKey, ledger.current()).isEmpty()) {
        for (LedgerKey key : KeyDecision.dueRevocations(ledger, Instant.now(clock))) {
          ledger = revocations.revoke(apiKey, ledger, provider, key, false, visit);
        }
      }
    } catch (StatusException | KubernetesClientException e) {
      retry = LOOK_AGAIN;
    }
    Optional<Instant> nextRevocation = KeyDecision.nextRevocation(ledger);
    if (nextRevocation.isPresent()) {
      Duration untilRevocation = clampPositive(Duration.between(Instant.now(clock), nextRevocation.get()));
      retry = retry == null || untilRevocation.compareTo(retry) < 0 ? untilRevocation : retry;
    }
    return new StatusException(problem.reason(), problem.getMessage(), retry);
  }

  /** Brings a live key's in-place settings (description, scopes, ...) to the spec: no new key. */
  private Ledger updateInPlace(ApiKey apiKey, Ledger ledger, Provider provider, Desired desired,
      IssuerCalls.Session visit) throws StatusException {
    LedgerKey current = ledger.current();
    visit.call(provider, Messages.waitToUpdate(current.name()), Reason.ProviderNotReady, c -> {
      c.issuer().updateInPlace(current, apiKey.getSpec());
      return null;
    }, visit::vendorFailure);
    LOG.info("Updated key {} in place", current.name());
    events.normal(apiKey, "Updated", Messages.updated(current.name()));
    return ledgers.write(apiKey, ledger.withCurrent(current.withSettings(desired.settings())));
  }

  /** Restarts the rollout targets once per key change (a first key needs no restart). */
  private Ledger rollOut(ApiKey apiKey, Ledger ledger) {
    String fingerprint = ledger.current().value().fingerprint();
    if (ledger.rolledOutFingerprint() != null) {
      restarter.restart(apiKey, fingerprint);
    }
    return ledgers.write(apiKey, ledger.withRolledOut(fingerprint));
  }

  private void ensureSecret(ApiKey apiKey, LedgerKey current) throws StatusException {
    try {
      Vendor vendor = Vendors.of(apiKey.getSpec());
      // serverUrl (what Unleash SDKs need beside the token) comes from the provider, when it is known
      String serverUrl = providers.find(apiKey).flatMap(p -> p.vendor().map(v -> v.serverUrl(p.spec())))
          .orElse(null);
      secretWriter.ensure(apiKey, new SecretTemplates.KeyFacts(current.value(), current.name(), current.id(),
          vendor.name(), vendor.clientSideId(current), serverUrl));
    } catch (SecretConflictException e) {
      throw new StatusException(Reason.SecretConflict, e.getMessage(), LOOK_AGAIN);
    } catch (SecretTooLargeException e) {
      throw new StatusException(Reason.InvalidSpec, e.getMessage(), null);
    }
  }

  /** Revokes what the deletion policy says before the ApiKey goes; a problem keeps the finalizer. */
  public void cleanUp(ApiKey apiKey) throws StatusException {
    LedgerRecovery.verified(apiKey, ledgers, events, () -> cleanUpVerified(apiKey));
  }

  private Void cleanUpVerified(ApiKey apiKey) throws StatusException {
    try (IssuerCalls.Session visit = calls.session(apiKey)) {
      return cleanUpVisited(apiKey, visit);
    }
  }

  private Void cleanUpVisited(ApiKey apiKey, IssuerCalls.Session visit) throws StatusException {
    if (isPaused(apiKey)) {
      throw new StatusException(Reason.Paused, Messages.deletionPaused(), null);
    }
    if (apiKey.getSpec() != null && !apiKey.getSpec().readProblems().isEmpty()) {
      Ledger ledger = writes.recordUnrecorded(apiKey, ledgers.fresh(apiKey));
      if (ledger.isEmpty()) {
        LedgerRecovery.checkKeptStateNotLost(apiKey, ledger);
        ledgers.release(apiKey);
        return null; // nothing was created: nothing to revoke
      }
      throw new StatusException(Reason.InvalidSpec, Messages.deletionOfUnreadable(apiKey.getSpec().readProblems()),
          LOOK_AGAIN);
    }
    Optional<Provider> found = providers.find(apiKey);
    Ledger ledger = writes.recordUnrecorded(apiKey, ledgers.fresh(apiKey));
    if (found.isPresent() && apiKey.getSpec() != null && !ledger.isEmpty()) {
      // Only the vendor must match: revoking what was minted is never refused by a namespace or policy gate, so a
      // provider's narrowed policy or a namespace leaving its selector cannot leak keys on deletion.
      providerGates.checkVendor(apiKey, found.get(), ledger.current());
    }
    PendingCreations.Settled settled = pendings.settle(apiKey, ledger, found, visit);
    if (settled.problem() != null) {
      throw settled.problem();
    }
    ledger = settled.ledger();
    if (apiKey.getSpec() != null && ledger.resourceVersion() == null) { // missing, not discarded by a human
      ledger = LedgerRecovery.recover(apiKey, ledger, ledgers, secretWriter, events);
    }
    LedgerRecovery.checkKeptStateNotLost(apiKey, ledger);
    DeletionPolicy policy = apiKey.getSpec() == null ? DeletionPolicy.Delete
        : apiKey.getSpec().deletionPolicyOrDefault();
    List<KeyDecision.Retirement> retirements = KeyDecision.onDeletion(ledger, policy);
    for (KeyDecision.Retirement r : retirements) {
      ledger = revocations.revoke(apiKey, ledger, found, r.key(), r.deactivate(), visit);
    }
    if (policy == DeletionPolicy.Orphan && ledger.current() != null) {
      secretWriter.orphan(apiKey);
      LOG.info("Kept key {} at the vendor (deletionPolicy Orphan)", ledger.current().name());
    }
    ledgers.release(apiKey);
    return null;
  }

  /** A Warning event, once per generation, naming the fields of the spec this version does not know. */
  private void warnUnknownFields(ApiKey apiKey) {
    List<String> unknown = apiKey.getSpec() == null ? List.of() : apiKey.getSpec().unknownFields();
    Long generation = apiKey.getMetadata().getGeneration();
    if (!unknown.isEmpty() && !Objects.equals(warnedUnknown.put(apiKey.getMetadata().getUid(), generation),
        generation)) {
      events.warning(apiKey, "UnknownFields", Messages.unknownFields(unknown));
    }
  }

  private static boolean isPaused(ApiKey apiKey) {
    return "true".equalsIgnoreCase(LedgerWrites.annotation(apiKey, ApiKey.PAUSED_ANNOTATION));
  }

  static Duration clampPositive(Duration d) {
    return d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d.plusSeconds(1);
  }
}
