package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.KeyStatus;
import dev.apikeyoperator.api.v1alpha1.PreviousKeyStatus;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.status.KeyOutcome;
import dev.apikeyoperator.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the status shows of the ledger's keys (names, ids, fingerprints and times, never a value), and the outcome
 * of a pass that found the key in place.
 */
final class KeyStatuses {
  private KeyStatuses() {}

  /** The current key. */
  static KeyStatus key(Ledger ledger) {
    LedgerKey current = ledger.current();
    KeyStatus key = new KeyStatus();
    key.name = current.name();
    key.id = current.id();
    key.fingerprint = current.value().fingerprint();
    key.createdAt = timestamp(current.createdAt());
    return key;
  }

  /** The replaced keys awaiting revocation (null: none). */
  static List<PreviousKeyStatus> previous(Ledger ledger) {
    return ledger.previous().isEmpty() ? null : ledger.previous().stream().map(k -> {
      PreviousKeyStatus p = new PreviousKeyStatus();
      p.name = k.name();
      p.fingerprint = k.value().fingerprint();
      p.revokeAfter = k.revokeAfter() == null ? null : timestamp(k.revokeAfter());
      return p;
    }).toList();
  }

  /**
   * The key is in place: its outcome, and when to look again (the next revocation, rotation or read-back).
   * {@code held}: why due revocations wait (empty: none do), looked at again after {@code heldRecheck}.
   */
  static KeyOutcome ready(ApiKey apiKey, Ledger ledger, Desired desired, String secretName, String held,
      Duration heldRecheck, Optional<Instant> nextReadBack, Instant now) {
    Optional<Instant> nextRotation = KeyDecision.nextRotation(desired, ledger.current());
    Optional<Instant> nextRevocation = KeyDecision.nextRevocation(ledger);
    Duration lookAgain = heldRecheck != null ? heldRecheck : Stream.of(nextRevocation, nextRotation, nextReadBack)
        .flatMap(Optional::stream).min(Comparator.naturalOrder())
        .map(when -> clampPositive(Duration.between(now, when))).orElse(null);
    String keyName = ledger.current().name();
    Reason reason = nextRevocation.isPresent() ? Reason.Rotating : Reason.KeyReady;
    String message = nextRevocation.isPresent()
        ? Messages.rotating(keyName, secretName, ledger.previous(), nextRevocation.get())
            + (KeyDecision.replacementHeld(ledger) ? Messages.replacementHeld(KeyDecision.MAX_AWAITING_REVOCATION)
                : "")
        : Messages.ready(keyName, secretName, ManagedSecrets.dataKey(apiKey));
    return new KeyOutcome.Applied(reason, message + held,
        Messages.synced(apiKey.getMetadata().getGeneration(), secretName), secretName, KeyStatuses.key(ledger),
        KeyStatuses.previous(ledger), nextRotation.map(KeyStatuses::timestamp).orElse(null), lookAgain);
  }

  /** How long until {@code d} has passed, at least a second (a moment already passed is looked at in one). */
  static Duration clampPositive(Duration d) {
    return d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d.plusSeconds(1);
  }

  static String timestamp(Instant when) {
    return when.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
