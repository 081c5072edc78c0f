package dev.apikeyoperator.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts API requests by "METHOD /operation outcome", e.g. "POST /apiKeys 201" or "POST /apiKeys dropped". */
final class RequestStats {
  private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  void record(String operation, String outcome) {
    counts.computeIfAbsent(operation + " " + outcome, k -> new AtomicInteger()).incrementAndGet();
  }

  Map<String, Integer> snapshot() {
    Map<String, Integer> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  void reset() {
    counts.clear();
  }
}
