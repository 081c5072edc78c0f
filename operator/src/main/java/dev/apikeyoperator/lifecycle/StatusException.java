package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.status.Reason;
import java.time.Duration;

/**
 * Ends a reconcile early with a condition to report, and when (if at all) to look again: at a time the vendor or
 * the lifecycle dictates, or, for a transient failure, when JOSDK's retry says.
 */
public final class StatusException extends Exception {
  private final Reason reason;
  private final Duration retryAfter;
  private final boolean transientFailure;

  public StatusException(Reason reason, String message, Duration retryAfter) {
    this(reason, message, retryAfter, false);
  }

  private StatusException(Reason reason, String message, Duration retryAfter, boolean transientFailure) {
    super(message, null, false, false);
    this.reason = reason;
    this.retryAfter = retryAfter;
    this.transientFailure = transientFailure;
  }

  /** A failure that may pass (a vendor 5xx, a 429 without Retry-After, a timeout): JOSDK retries with backoff. */
  static StatusException transientFailure(Reason reason, String message) {
    return new StatusException(reason, message, null, true);
  }

  public boolean transientFailure() {
    return transientFailure;
  }

  public Reason reason() {
    return reason;
  }

  /** Null: wait for the next change of the ApiKey or what it refers to (or JOSDK's retry, when transient). */
  public Duration retryAfter() {
    return retryAfter;
  }
}
