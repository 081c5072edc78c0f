package dev.apikeyoperator.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Exponential backoff per resource for transient vendor failures: 2 s, 4 s, 8 s, ... capped at 5 minutes. */
final class Backoff {
  private static final Duration FIRST = Duration.ofSeconds(2);
  private static final Duration MAX = Duration.ofMinutes(5);
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  Duration next(String uid) {
    int n = failures.merge(uid, 1, Integer::sum);
    long millis = FIRST.toMillis() << Math.min(n - 1, 20);
    return millis >= MAX.toMillis() ? MAX : Duration.ofMillis(millis);
  }

  void reset(String uid) {
    failures.remove(uid);
  }
}
