package dev.apikeyoperator.transport;

import java.time.Duration;

/** The vendor answered 429. */
public final class VendorRateLimitedException extends VendorException {

  private final Duration retryAfter;

  public VendorRateLimitedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** How long the vendor asked us to wait, or {@code null} when it did not say (the caller backs off). */
  public Duration retryAfter() {
    return retryAfter;
  }
}
