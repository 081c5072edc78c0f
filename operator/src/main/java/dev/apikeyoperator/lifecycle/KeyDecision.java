package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.DeletionPolicy;
import dev.apikeyoperator.api.v1alpha1.KeyStatus;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.policy.KeyPolicy;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.status.Reason;
import dev.apikeyoperator.validation.SpecValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The key lifecycle as a pure decision over one {@link Observation}: a chain of named checks, each of which stops
 * the reconcile with a reason and a message or lets it go on, then the next {@link Step}. No I/O and no vendor names
 * here: the executor performs the step, records its outcome in the ledger, observes again, and asks again, until the
 * answer is a report or a stop. The order of the chains is the documentation.
 */
public final class KeyDecision {
  /** How soon an ApiKey restored before its Secrets looks for them again. */
  static final Duration RESTORE_RECHECK = Duration.ofSeconds(10);

  /** What {@link #decide} answers: a {@link Step} to perform, or a {@link Stop}. */
  public sealed interface Decision permits Step, Stop {}

  /**
   * The reconcile ends here, with the reason and message the status shows.
   *
   * @param lookAgain when to look again (null: on the next change of the ApiKey or what it refers to)
   */
  public record Stop(Reason reason, String message, Duration lookAgain) implements Decision {}

  /** One named check: a stop, or empty to go on. */
  @FunctionalInterface
  public interface Check {
    Optional<Stop> apply(Observation o);
  }

  /** Before anything is read from the vendor or written, settling a pending creation included. */
  static final List<Check> BEFORE_ANY_CALL = List.of(
      KeyDecision::paused,
      KeyDecision::invalidSpec,
      KeyDecision::ledgerDoesNotVerify,
      KeyDecision::providerOfAnotherVendor,
      KeyDecision::namespaceNotServed,
      KeyDecision::requestDenied);

  /** After a pending creation is settled and a lost ledger rebuilt, before any step that needs the provider. */
  static final List<Check> BEFORE_STEPS = List.of(
      KeyDecision::providerNotFound,
      KeyDecision::restoreAwaited);

  /** The first stop of {@code chain}, if any. */
  static Optional<Stop> evaluate(List<Check> chain, Observation o) {
    for (Check check : chain) {
      Optional<Stop> stop = check.apply(o);
      if (stop.isPresent()) {
        return stop;
      }
    }
    return Optional.empty();
  }

  /** The whole decision of one moment of a reconcile: the checks in their order, then the step. */
  public static Decision decide(Observation o, Progress progress) {
    Optional<Stop> stop = evaluate(BEFORE_ANY_CALL, o);
    if (stop.isPresent()) {
      return stop.get();
    }
    if (o.ledgerInvalid() != null) { // and the discard annotation names it (else ledgerDoesNotVerify stopped)
      return new Step.DiscardLedger(o.ledgerInvalid().resourceVersion());
    }
    if (o.ledger().pending() != null) {
      return new Step.SettlePending();
    }
    if (!progress.recovered() && ledgerLost(o)) {
      return new Step.RecoverLedger();
    }
    stop = evaluate(BEFORE_STEPS, o);
    if (stop.isPresent()) {
      return stop.get();
    }
    Step step = next(o.ledger(), o.desired(), o.can(), progress, o.readBackDue(), o.now());
    if (step instanceof Step.Mint && o.refusal().isPresent()) {
      return o.refusal().get(); // the vendor refused this very spec for good: asking again now gets the same
    }
    if (step instanceof Step.Revoke && o.revocationHeld().isPresent()) {
      return new Step.HoldRevocation(o.revocationHeld().get());
    }
    return step;
  }

  /**
   * The fields of the spec this version does not know, to warn about once per generation (the status records the
   * generation last reconciled); empty when there are none or this generation was warned about.
   */
  static Optional<List<String>> unknownFieldsToWarnOf(ApiKey apiKey) {
    List<String> unknown = apiKey.getSpec() == null ? List.of() : apiKey.getSpec().unknownFields();
    Long generation = apiKey.getMetadata().getGeneration();
    Long observed = apiKey.getStatus() == null ? null : apiKey.getStatus().observedGeneration;
    return !unknown.isEmpty() && (observed == null || generation == null || observed < generation)
        ? Optional.of(unknown) : Optional.empty();
  }

  // ---------------------------------------------------------------------------------------- the named checks

  /** The paused annotation stops every vendor call. */
  static Optional<Stop> paused(Observation o) {
    return isPaused(o.apiKey()) ? Optional.of(new Stop(Reason.Paused, Messages.paused(), null)) : Optional.empty();
  }

  /** A spec that breaks a rule the CRD cannot express creates nothing. */
  static Optional<Stop> invalidSpec(Observation o) {
    List<String> problems = SpecValidator.validate(o.apiKey());
    return problems.isEmpty() ? Optional.empty()
        : Optional.of(new Stop(Reason.InvalidSpec, Messages.invalidSpec(problems), null));
  }

  /** A ledger changed by hand is acted upon in no way, until a human discards it by the annotation. */
  static Optional<Stop> ledgerDoesNotVerify(Observation o) {
    var invalid = o.ledgerInvalid();
    if (invalid == null || invalid.resourceVersion().equals(annotation(o.apiKey(), ApiKey.DISCARD_ANNOTATION))) {
      return Optional.empty();
    }
    return Optional.of(stateInvalid(o.apiKey(), invalid.problem(), invalid.resourceVersion()));
  }

  /** The provider must be an account of the key's vendor (the one gate a deletion's revocations pass too). */
  static Optional<Stop> providerOfAnotherVendor(Observation o) {
    return o.provider().flatMap(p -> wrongVendor(o.apiKey(), p, current(o)));
  }

  static Optional<Stop> wrongVendor(ApiKey apiKey, Provider provider, LedgerKey current) {
    Vendor keyVendor = Vendors.of(apiKey.getSpec());
    Optional<Vendor> providerVendor = provider.vendor();
    return providerVendor.isPresent() && providerVendor.get() != keyVendor
        ? Optional.of(new Stop(Reason.InvalidSpec, Messages.wrongVendor(provider.displayName(),
            providerVendor.get().name(), keyVendor.name(), current), null))
        : Optional.empty();
  }

  /** The provider must serve the ApiKey's namespace. */
  static Optional<Stop> namespaceNotServed(Observation o) {
    if (o.provider().isEmpty()) {
      return Optional.empty();
    }
    String namespace = o.apiKey().getMetadata().getNamespace();
    return KeyPolicy.checkNamespace(o.provider().get(), namespace, o.namespace())
        .map(why -> new Stop(Reason.NamespaceNotAllowed, why + Messages.keptOrNone(current(o)), null));
  }

  /** The provider's policy must allow what the spec asks for. */
  static Optional<Stop> requestDenied(Observation o) {
    if (o.provider().isEmpty()) {
      return Optional.empty();
    }
    return KeyPolicy.checkRequest(o.provider().get(), o.apiKey().getSpec())
        .map(why -> new Stop(Reason.PolicyDenied, why + Messages.keptOrNone(current(o)), null));
  }

  /** No key is minted, read or updated without the provider the spec names. */
  static Optional<Stop> providerNotFound(Observation o) {
    if (o.provider().isPresent()) {
      return Optional.empty();
    }
    ProviderRef ref = o.apiKey().getSpec().providerRef;
    String where = ref.kindOrDefault() == ProviderRef.Kind.ApiKeyProvider
        ? "ApiKeyProvider " + o.apiKey().getMetadata().getNamespace() + "/" + ref.name
        : "ClusterApiKeyProvider " + ref.name;
    return Optional.of(new Stop(Reason.ProviderNotFound, Messages.providerNotFound(where), null));
  }

  /**
   * An ApiKey that Velero restored before its Secrets waits for them a while, instead of minting a key that would
   * leave the restored ones orphaned.
   */
  static Optional<Stop> restoreAwaited(Observation o) {
    return awaitedRestore(o.apiKey(), o.ledger(), o.now()).map(restore -> new Stop(Reason.Provisioning,
        Messages.awaitingRestore(restore, LedgerRecovery.RESTORE_WAIT), RESTORE_RECHECK));
  }

  /** The Velero restore an ApiKey came back from while its kept state has not (yet), within the wait. */
  static Optional<String> awaitedRestore(ApiKey apiKey, Ledger ledger, Instant now) {
    Map<String, String> labels = apiKey.getMetadata().getLabels();
    String restore = labels == null ? null : labels.get(LedgerRecovery.VELERO_RESTORE_LABEL);
    if (restore == null || !ledger.isEmpty() || ledger.resourceVersion() != null
        || apiKey.getMetadata().getCreationTimestamp() == null) {
      return Optional.empty();
    }
    Instant created = Instant.parse(apiKey.getMetadata().getCreationTimestamp());
    return now.isBefore(created.plus(LedgerRecovery.RESTORE_WAIT)) ? Optional.of(restore) : Optional.empty();
  }

  /** The ledger is empty while the status names a key with its fingerprint: it was deleted by hand. */
  static boolean ledgerLost(Observation o) {
    KeyStatus known = o.apiKey().getStatus() == null ? null : o.apiKey().getStatus().key;
    return o.ledger().isEmpty() && known != null && known.fingerprint != null;
  }

  /** The StateInvalid stop, naming the key the status last reported so that a human can find it. */
  static Stop stateInvalid(ApiKey apiKey, String problem, String resourceVersion) {
    KeyStatus known = apiKey.getStatus() == null ? null : apiKey.getStatus().key;
    return new Stop(Reason.StateInvalid, Messages.stateInvalid(problem, resourceVersion,
        known == null ? null : known.name + " (" + known.fingerprint + ")"), null);
  }

  static boolean isPaused(ApiKey apiKey) {
    return "true".equalsIgnoreCase(annotation(apiKey, ApiKey.PAUSED_ANNOTATION));
  }

  static String annotation(ApiKey apiKey, String name) {
    Map<String, String> annotations = apiKey.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  private static LedgerKey current(Observation o) {
    return o.ledger() == null ? null : o.ledger().current();
  }

  // ------------------------------------------------------------------------------------------ the step choice
  /**
   * Replaced keys that may await revocation at once. Each is an entry in the ledger, one Secret (at most 1 MiB):
   * while this many wait, no further replacement is minted (the current key keeps serving; the status says so).
   */
  public static final int MAX_AWAITING_REVOCATION = 10;

  private KeyDecision() {}

  /**
   * What has been done in this pass that the ledger does not show (each is done at most once per pass).
   *
   * @param minted a key was planned (and minted, or found to be the same key spelled differently)
   * @param updated the live key's settings were brought to the spec
   * @param secretWritten the Secret was made to hold the current key
   * @param recovered a lost ledger was looked for in the managed Secret
   */
  public record Progress(boolean minted, boolean updated, boolean secretWritten, boolean recovered) {
    public static final Progress NONE = new Progress(false, false, false, false);

    public Progress afterMint() {
      return new Progress(true, updated, secretWritten, recovered);
    }

    public Progress afterUpdate() {
      return new Progress(minted, true, secretWritten, recovered);
    }

    public Progress afterSecret() {
      return new Progress(minted, updated, true, recovered);
    }

    public Progress afterRecovery() {
      return new Progress(minted, updated, secretWritten, true);
    }
  }

  /**
   * The step choice, once every check passed (and the step a pending creation needs before any check of the
   * provider).
   *
   * @param readBackDue when the current key is next read back (null: not read back)
   */
  public static Step next(Ledger ledger, Desired desired, Capabilities can, Progress progress, Instant readBackDue,
      Instant now) {
    if (ledger.pending() != null) {
      return new Step.SettlePending();
    }
    LedgerKey current = ledger.current();
    if (current == null && desired.adopt() && !progress.minted()) {
      return new Step.Adopt();
    }
    Optional<String> rotation = rotationWanted(ledger, desired, now);
    if (desired.movedFrom(current) && !progress.minted() && !replacementHeld(ledger)) {
      // Another provider (perhaps another account): the old key is neither read back nor updated through it.
      return new Step.Mint(rotation.orElse(null));
    }
    if (current != null && can.readsBack()) {
      boolean revoked = current.name().equals(ledger.revokedExternally());
      if (!revoked && readBackDue != null && !now.isBefore(readBackDue)) {
        return new Step.ReadBack();
      }
      if (revoked) {
        return rotation.isPresent() || desired.recreateRevoked() ? new Step.DropRevoked()
            : new Step.ReportRevokedExternally(current);
      }
    }
    if (!progress.minted() && !replacementHeld(ledger) && (current == null
        || !desired.specIdentity().equals(current.specIdentity()) || rotation.isPresent())) {
      return new Step.Mint(rotation.orElse(null));
    }
    if (current == null) {
      throw new IllegalStateException("no key after minting");
    }
    if (!progress.updated() && !desired.settings().equals(current.settings())) {
      return new Step.UpdateInPlace();
    }
    if (!progress.secretWritten()) {
      return new Step.WriteSecret();
    }
    if (!current.value().fingerprint().equals(ledger.rolledOutFingerprint())) {
      return new Step.RollOut();
    }
    // Before any revocation, which a consumer still on an old key may hold back: the expiry is what ends the old
    // key on time should the operator be gone by then.
    Optional<LedgerKey> unexpired = can.expiresKeys() ? awaitingExpiry(ledger, now) : Optional.empty();
    if (unexpired.isPresent()) {
      return new Step.Expire(unexpired.get());
    }
    List<LedgerKey> due = dueRevocations(ledger, now);
    return due.isEmpty() ? new Step.ReportReady() : new Step.Revoke(due.get(0));
  }

  /** Whether a replacement of the current key must wait for replaced keys to be revoked first. */
  public static boolean replacementHeld(Ledger ledger) {
    return ledger.current() != null && ledger.previous().size() >= MAX_AWAITING_REVOCATION;
  }

  /** Why the current key must be rotated now (a new rotate-requested-at value, or the schedule), if it must. */
  public static Optional<String> rotationWanted(Ledger ledger, Desired desired, Instant now) {
    if (ledger.current() == null) {
      return Optional.empty();
    }
    String request = desired.rotateRequest();
    if (request != null && !request.equals(ledger.rotateRequest())) {
      return Optional.of(Messages.rotationRequested(request));
    }
    return nextRotation(desired, ledger.current()).filter(when -> !when.isAfter(now))
        .map(when -> Messages.rotationScheduled(desired.rotateEvery()));
  }

  /** When the current key is due for its scheduled rotation. */
  public static Optional<Instant> nextRotation(Desired desired, LedgerKey current) {
    Duration every = desired.rotationPeriod();
    return every == null || current == null ? Optional.empty() : Optional.of(current.createdAt().plus(every));
  }

  /**
   * Whether a wanted rotation is done by the vendor's rotate call: the same identity, a vendor that can, and no
   * grace period asked for (the old key stops working at once).
   */
  public static boolean rotatesNatively(LedgerKey current, String rotation, String plannedIdentity, Capabilities can,
      Duration gracePeriod) {
    return current != null && rotation != null && plannedIdentity.equals(current.identity()) && can.rotatesNatively()
        && gracePeriod.isZero();
  }

  /** Replaced keys whose grace period is over, in ledger order. */
  public static List<LedgerKey> dueRevocations(Ledger ledger, Instant now) {
    return ledger.previous().stream().filter(k -> k.revokeAfter() == null || !k.revokeAfter().isAfter(now)).toList();
  }

  /**
   * The first replaced key still inside its grace period that the vendor has not been given an expiry for. A key
   * whose grace is over is revoked instead.
   */
  public static Optional<LedgerKey> awaitingExpiry(Ledger ledger, Instant now) {
    return ledger.previous().stream()
        .filter(k -> k.vendorExpiry() == null && k.revokeAfter() != null && k.revokeAfter().isAfter(now)).findFirst();
  }

  /** When the next replaced key is due for revocation. */
  public static Optional<Instant> nextRevocation(Ledger ledger) {
    return ledger.previous().stream().map(LedgerKey::revokeAfter).filter(Objects::nonNull)
        .min(Comparator.naturalOrder());
  }

  /** A key to revoke when the ApiKey is deleted, and whether it is deactivated instead. */
  public record Retirement(LedgerKey key, boolean deactivate) {}

  /**
   * What a deletion revokes: every replaced key, and the current one unless kept (Orphan) or already dead at the
   * vendor; Deactivate deactivates the current key instead of deleting it.
   */
  public static List<Retirement> onDeletion(Ledger ledger, DeletionPolicy policy) {
    List<Retirement> result = new ArrayList<>();
    ledger.previous().forEach(k -> result.add(new Retirement(k, false)));
    LedgerKey current = ledger.current();
    boolean currentAlreadyDead = current != null && current.name().equals(ledger.revokedExternally());
    if (policy != DeletionPolicy.Orphan && current != null && !currentAlreadyDead) {
      result.add(new Retirement(current, policy == DeletionPolicy.Deactivate));
    }
    return result;
  }
}
