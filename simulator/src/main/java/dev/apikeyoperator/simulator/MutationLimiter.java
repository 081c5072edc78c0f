package dev.apikeyoperator.simulator;

import java.util.ArrayDeque;

/**
 * Sliding-window limits on mutations, like Statsig's documented "about 100 per 10 s and 900 per 15 min, per project".
 * Only admitted mutations are remembered; a limit of 0 is off.
 */
final class MutationLimiter {

  static final long SHORT_WINDOW_NANOS = 10_000_000_000L;
  static final long LONG_WINDOW_NANOS = 15 * 60 * 1_000_000_000L;

  /** Outcome: allowed, or refused with the whole seconds (at least 1) until a slot frees up. */
  record Decision(boolean allowed, long retryAfterSeconds) {}

  private final ArrayDeque<Long> admitted = new ArrayDeque<>(); // nanoTime of admitted mutations, oldest first
  private volatile int perShortWindow;
  private volatile int perLongWindow;

  MutationLimiter(int per10s, int per15min) {
    setLimits(per10s, per15min);
  }

  void setLimits(int per10s, int per15min) {
    this.perShortWindow = StatsigSimulatorConfig.checkLimit(per10s, "mutationsPer10s");
    this.perLongWindow = StatsigSimulatorConfig.checkLimit(per15min, "mutationsPer15min");
  }

  int perShortWindow() {
    return perShortWindow;
  }

  int perLongWindow() {
    return perLongWindow;
  }

  synchronized Decision acquire() {
    long now = System.nanoTime();
    while (!admitted.isEmpty() && now - admitted.peekFirst() >= LONG_WINDOW_NANOS) {
      admitted.pollFirst();
    }
    long waitNanos = 0;
    waitNanos = Math.max(waitNanos, waitFor(now, perShortWindow, SHORT_WINDOW_NANOS));
    waitNanos = Math.max(waitNanos, waitFor(now, perLongWindow, LONG_WINDOW_NANOS));
    if (waitNanos > 0) {
      return new Decision(false, Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
    }
    admitted.addLast(now);
    return new Decision(true, 0);
  }

  /** Nanoseconds until one more mutation fits into the window, 0 when it fits now. */
  private long waitFor(long now, int limit, long window) {
    if (limit <= 0) {
      return 0;
    }
    int inWindow = 0;
    Long limiting = null; // the admitted mutation that must leave the window first
    var it = admitted.descendingIterator();
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
    admitted.clear();
  }
}
