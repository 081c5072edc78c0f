package dev.apikeyoperator.simulator;

import java.util.ArrayDeque;

/**
 * Statsig's documented limits on mutations (POST/PATCH/PUT/DELETE), per project: a quota of about 1 800 request
 * attempts per 15-minute window plus a short-window burst protection (here: sliding 10 s). Every recorded attempt
 * counts in both windows; a refused attempt is recorded too when {@code countRejected} (the documented behaviour:
 * "attempts rejected by this rate limiter also count toward the quota"). A limit of 0 is off.
 */
final class MutationLimiter {

  static final long SHORT_WINDOW_NANOS = 10_000_000_000L;
  static final long LONG_WINDOW_NANOS = 15 * 60 * 1_000_000_000L;

  /** Outcome: allowed, or refused with the whole seconds (at least 1) until a slot frees up. */
  record Decision(boolean allowed, long retryAfterSeconds) {}

  private final ArrayDeque<Long> attempts = new ArrayDeque<>(); // nanoTime of counted attempts, oldest first
  private volatile int perShortWindow;
  private volatile int perLongWindow;

  MutationLimiter(int per10s, int per15min) {
    setLimits(per10s, per15min);
  }

  void setLimits(int per10s, int per15min) {
    this.perShortWindow = StatsigSimulatorConfig.checkLimit(per10s, "mutationsPer10s");
    this.perLongWindow = StatsigSimulatorConfig.checkLimit(per15min, "attemptsPer15min");
  }

  int perShortWindow() {
    return perShortWindow;
  }

  int perLongWindow() {
    return perLongWindow;
  }

  synchronized Decision acquire(boolean countRejected) {
    long now = System.nanoTime();
    while (!attempts.isEmpty() && now - attempts.peekFirst() >= LONG_WINDOW_NANOS) {
      attempts.pollFirst();
    }
    long waitNanos = Math.max(waitFor(now, perShortWindow, SHORT_WINDOW_NANOS),
        waitFor(now, perLongWindow, LONG_WINDOW_NANOS));
    if (waitNanos == 0 || countRejected) {
      attempts.addLast(now);
    }
    return waitNanos == 0
        ? new Decision(true, 0)
        : new Decision(false, Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
  }

  /** Nanoseconds until one more attempt fits into the window, 0 when it fits now. */
  private long waitFor(long now, int limit, long window) {
    if (limit <= 0) {
      return 0;
    }
    int inWindow = 0;
    Long limiting = null; // the counted attempt that must leave the window first
    var it = attempts.descendingIterator();
    while (it.hasNext()) {
      long t = it.next();
      if (now - t >= window) {
        break;
      }
      inWindow++;
      if (inWindow == limit) {
        limiting = t;
        break;
      }
    }
    if (limiting == null) {
      return 0;
    }
    return limiting + window - now;
  }

  synchronized void reset() {
    attempts.clear();
  }
}
