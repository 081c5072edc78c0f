package dev.apikeyoperator.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the operator must remember about one ApiKey's keys to honour "no lost key" and "no duplicate key":
 * the pending creation (intent without outcome), the current key, the replaced keys awaiting revocation, and the
 * last {@code rotate-requested-at} value acted upon (so each new value rotates once).
 * Immutable; the store persists it in a Secret owned by the ApiKey.
 */
public record Ledger(PendingCreation pending, LedgerKey current, List<LedgerKey> previous, String rotateRequest,
    String resourceVersion) {
  public static final Ledger EMPTY = new Ledger(null, null, List.of(), null, null);

  public Ledger {
    previous = previous == null ? List.of() : List.copyOf(previous);
  }

  public boolean isEmpty() {
    return pending == null && current == null && previous.isEmpty();
  }

  public Ledger withPending(PendingCreation p) {
    return new Ledger(p, current, previous, rotateRequest, resourceVersion);
  }

  /** Records a created key as current; the former current key (if any) is retired until {@code revokeAfter}. */
  public Ledger withCreated(LedgerKey created, Instant retireUntil, String handledRotateRequest) {
    List<LedgerKey> prev = new ArrayList<>(previous);
    if (current != null) {
      prev.add(current.retiredUntil(retireUntil));
    }
    return new Ledger(null, created, prev, handledRotateRequest, resourceVersion);
  }

  public Ledger withCurrent(LedgerKey key) {
    return new Ledger(pending, key, previous, rotateRequest, resourceVersion);
  }

  /** Forgets a key that has been revoked (current or previous, matched by name). */
  public Ledger without(LedgerKey revoked) {
    List<LedgerKey> prev = previous.stream().filter(k -> !Objects.equals(k.name(), revoked.name())).toList();
    LedgerKey cur = current != null && Objects.equals(current.name(), revoked.name()) ? null : current;
    return new Ledger(pending, cur, prev, rotateRequest, resourceVersion);
  }

  public Ledger withResourceVersion(String rv) {
    return new Ledger(pending, current, previous, rotateRequest, rv);
  }
}
