package dev.apikeyoperator.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the operator must remember about one ApiKey's keys to honour "no lost key" and "no duplicate key":
 * the pending creation (intent without outcome), the current key, the replaced keys awaiting revocation, and the
 * last {@code rotate-requested-at} value acted upon (so each new value rotates once), and the key fingerprint the
 * rollout-restart targets were last stamped with (so workloads restart once per key change, never on a restart).
 * Immutable; the store persists it in a Secret owned by the ApiKey.
 */
public record Ledger(PendingCreation pending, LedgerKey current, List<LedgerKey> previous, String rotateRequest,
    String rolledOutFingerprint, String revokedExternally, String resourceVersion) {
  public static final Ledger EMPTY = new Ledger(null, null, List.of(), null, null, null, null);

  public Ledger {
    previous = previous == null ? List.of() : List.copyOf(previous);
  }

  public boolean isEmpty() {
    return pending == null && current == null && previous.isEmpty();
  }

  public Ledger withPending(PendingCreation p) {
    return new Ledger(p, current, previous, rotateRequest, rolledOutFingerprint, revokedExternally, resourceVersion);
  }

  /**
   * Records a created key as current; the former current key (if any) is retired until {@code revokeAfter}. A
   * first key counts as rolled out: workloads start with it, nothing needs a restart.
   */
  public Ledger withCreated(LedgerKey created, Instant retireUntil, String handledRotateRequest) {
    List<LedgerKey> prev = new ArrayList<>(previous);
    if (current != null) {
      prev.add(current.retiredUntil(retireUntil));
    }
    return new Ledger(null, created, prev, handledRotateRequest, firstRollout(created), revokedExternally,
        resourceVersion);
  }

  public Ledger withCurrent(LedgerKey key) {
    return new Ledger(pending, key, previous, rotateRequest, firstRollout(key), revokedExternally, resourceVersion);
  }

  private String firstRollout(LedgerKey key) {
    return rolledOutFingerprint != null ? rolledOutFingerprint : key.value().fingerprint();
  }

  /** Forgets a key that has been revoked (current or previous, matched by name). */
  public Ledger without(LedgerKey revoked) {
    List<LedgerKey> prev = previous.stream().filter(k -> !Objects.equals(k.name(), revoked.name())).toList();
    LedgerKey cur = current != null && Objects.equals(current.name(), revoked.name()) ? null : current;
    return new Ledger(pending, cur, prev, rotateRequest, rolledOutFingerprint, revokedExternally, resourceVersion);
  }

  /** Records that the vendor was given an expiry for the replaced key named like {@code key}. */
  public Ledger withVendorExpiry(LedgerKey key, Instant at) {
    List<LedgerKey> prev = previous.stream()
        .map(k -> Objects.equals(k.name(), key.name()) ? k.expiringAt(at) : k).toList();
    return new Ledger(pending, current, prev, rotateRequest, rolledOutFingerprint, revokedExternally, resourceVersion);
  }

  /** Records the key fingerprint that the rollout-restart targets were last stamped with. */
  public Ledger withRolledOut(String fingerprint) {
    return new Ledger(pending, current, previous, rotateRequest, fingerprint, revokedExternally, resourceVersion);
  }

  /** Records that the vendor reports the key named {@code keyName} deleted or deactivated outside the operator. */
  public Ledger withRevokedExternally(String keyName) {
    return new Ledger(pending, current, previous, rotateRequest, rolledOutFingerprint, keyName, resourceVersion);
  }

  public Ledger withResourceVersion(String rv) {
    return new Ledger(pending, current, previous, rotateRequest, rolledOutFingerprint, revokedExternally, rv);
  }
}
