package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.KeyStatus;
import dev.apikeyoperator.api.v1alpha1.PreviousKeyStatus;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** What the status shows of the ledger's keys: names, ids, fingerprints and times, never a value. */
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

  static String timestamp(Instant when) {
    return when.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
