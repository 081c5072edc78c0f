package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.customresource.DeletionPolicy;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The key lifecycle as a pure decision: from what the ledger keeps, what the spec asks for, what the vendor can do
 * and the time, the next {@link Step}. No I/O and no vendor names here: the executor performs the step, records its
 * outcome in the ledger, and asks again, until the answer is a report.
 */
public final class KeyDecision {
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
   */
  public record Progress(boolean minted, boolean updated, boolean secretWritten) {
    public static final Progress NONE = new Progress(false, false, false);

    public Progress afterMint() {
      return new Progress(true, updated, secretWritten);
    }

    public Progress afterUpdate() {
      return new Progress(minted, true, secretWritten);
    }

    public Progress afterSecret() {
      return new Progress(minted, updated, true);
    }
  }

  /**
   * The next step.
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
