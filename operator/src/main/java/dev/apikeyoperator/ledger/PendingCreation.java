package dev.apikeyoperator.ledger;

import java.time.Instant;

/**
 * The intent to create a key, written before the vendor call. An intent with no outcome is never retried silently.
 *
 * @param name the vendor-side name of the key to be created
 * @param startedAt when the attempt started
 * @param rotatedFrom for a native rotation (the vendor replaces a key), the name of the key being replaced
 * @param warned whether the Warning event {@code CreationIndeterminate} naming this key has been written: kept here,
 *     not in memory or in the status, so a process that dies between the event and anything else still leaves a
 *     record the next one acts on (docs/design/ledger.md: the event is written before this mark, never after)
 */
public record PendingCreation(String name, Instant startedAt, String rotatedFrom, boolean warned) {
  public PendingCreation(String name, Instant startedAt, String rotatedFrom) {
    this(name, startedAt, rotatedFrom, false);
  }

  /** This intent, recorded as announced by its Warning event. */
  public PendingCreation asWarned() {
    return new PendingCreation(name, startedAt, rotatedFrom, true);
  }
}
