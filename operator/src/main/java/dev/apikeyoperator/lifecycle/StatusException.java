package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.status.Reason;
import java.time.Duration;

/** Ends a reconcile early with a Ready condition to report, and when (if at all) to look again. */
public final class StatusException extends Exception {
  private final Reason reason;
  private final Duration retryAfter;

  public StatusException(Reason reason, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  public Reason reason() {
    return reason;
  }

  /** Null: wait for the next change of the ApiKey or what it refers to. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
