package dev.apikeyoperator.simulator;

/**
 * Token bucket over all API requests. The rate is read from {@link Faults} on every call; when it changes the bucket
 * starts over full. Burst = max(1, ceil(rate)).
 */
final class RateLimiter {

  /** Outcome of one acquire: allowed, or throttled with the whole seconds until a token is available (at least 1). */
  record Decision(boolean allowed, long resetSeconds, long remaining) {}

  private final Faults faults;
  private double currentRate;
  private double tokens;
  private long lastNanos;

  RateLimiter(Faults faults) {
    this.faults = faults;
  }

  synchronized Decision acquire() {
    double rate = faults.getRateLimitPerSecond();
    long now = System.nanoTime();
    if (rate <= 0) {
      currentRate = 0;
      return new Decision(true, 0, 0);
    }
    double burst = Math.max(1, Math.ceil(rate));
    if (rate != currentRate) {
      currentRate = rate;
      tokens = burst;
      lastNanos = now;
    } else {
      double elapsed = (now - lastNanos) / 1e9;
      tokens = Math.min(burst, tokens + elapsed * rate);
      lastNanos = now;
    }
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return new Decision(true, 0, (long) Math.floor(tokens));
    }
    double waitSeconds = (1.0 - tokens) / rate;
    long reset = Math.max(1, (long) Math.ceil(waitSeconds));
    return new Decision(false, reset, 0);
  }

  synchronized void reset() {
    currentRate = 0;
    tokens = 0;
  }
}
