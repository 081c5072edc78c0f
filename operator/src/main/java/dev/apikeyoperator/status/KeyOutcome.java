package dev.apikeyoperator.status;

import dev.apikeyoperator.api.v1alpha1.KeyStatus;
import dev.apikeyoperator.api.v1alpha1.PreviousKeyStatus;
import java.time.Duration;
import java.util.List;

/**
 * What one reconcile (or cleanup) of an ApiKey came to: the one input from which its status is built
 * ({@link KeyStatusAggregator}). Never holds a key value.
 */
public sealed interface KeyOutcome {
  /** When to look again; null: on the next change of the ApiKey or of what it refers to. */
  Duration lookAgain();

  /**
   * The spec of this generation is applied: a working key is served.
   *
   * @param key the current key as the status shows it
   * @param previousKeys replaced keys awaiting revocation (null: none)
   * @param nextRotationAt when the current key is next rotated (null: not scheduled)
   */
  record Applied(Reason reason, String message, String syncedMessage, String secretName, KeyStatus key,
      List<PreviousKeyStatus> previousKeys, String nextRotationAt, Duration lookAgain) implements KeyOutcome {}

  /**
   * The spec is not applied.
   *
   * @param secretName the Secret's name, when the reconcile got as far as knowing it (null: as shown)
   * @param serving the key the Secret still holds and that still works (null: none, Ready is False)
   * @param transientFailure a failure that may pass (vendor 5xx, 429 without Retry-After, timeout): JOSDK's retry
   *     looks again, with backoff, instead of {@code lookAgain}
   */
  record NotApplied(Reason reason, String message, String secretName, StillServing serving, Duration lookAgain,
      boolean transientFailure) implements KeyOutcome {

    public NotApplied(Reason reason, String message, String secretName, StillServing serving, Duration lookAgain) {
      this(reason, message, secretName, serving, lookAgain, false);
    }
  }

  /** The Secret still holds a working key although the spec is not applied: Ready stays True with this. */
  record StillServing(Reason reason, String message) {}

  /** Nothing was decided (its turn for a vendor call, or the workloads, are awaited): the status stays as it is. */
  record Deferred(Duration lookAgain) implements KeyOutcome {}

  /** A deletion's revocations are done: the finalizer may go. */
  record Released() implements KeyOutcome {
    @Override
    public Duration lookAgain() {
      return null;
    }
  }
}
