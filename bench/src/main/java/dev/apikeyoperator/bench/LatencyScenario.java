package dev.apikeyoperator.bench;

import java.time.Duration;
import java.util.Arrays;

/** A 0 ms vendor without a rate limit; one ApiKey created, wait for Ready, the next: created → Ready latency. */
final class LatencyScenario {
  private final Bench bench;
  private final World world;
  private final int keys;

  LatencyScenario(Bench bench, World world, int keys) {
    this.bench = bench;
    this.world = world;
    this.keys = keys;
  }

  void run() throws Exception {
    String ns = "latency";
    world.namespaceWithProvider(ns);
    world.simulator.faults().setRateLimitPerSecond(0).setLatencyMs(0);
    try (OperatorProcess op = bench.startOperator(world, ns, "latency");
         ReadyTracker ready = new ReadyTracker(world, ns)) {
      op.awaitReady(Duration.ofSeconds(120));
      op.awaitIdle(world, Duration.ofSeconds(1), Duration.ofSeconds(60));
      Window window = Window.open(world);
      double[] ms = new double[keys];
      for (int i = 0; i < keys; i++) {
        long t0 = System.nanoTime();
        world.apiKeys().inNamespace(ns).resource(World.apiKey(ns, Bench.key(i))).create();
        ms[i] = (ready.await(Bench.key(i), Duration.ofSeconds(60)) - t0) / 1e6;
      }
      window.close();
      double first = ms[0];
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      double p50 = percentile(sorted, 50);
      double p99 = percentile(sorted, 99);
      Bench.log("latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms, first %.1f ms", p50, p99, sorted[sorted.length - 1],
          first);
      Report r = bench.report;
      r.row("Latency", "ApiKey created → Ready, p50 (" + keys + " keys one by one, 0 ms simulator)",
          Bench.f("%.1f ms", p50), "≤ 100 ms", p50 <= 100);
      r.row("Latency", "ApiKey created → Ready, p99", Bench.f("%.1f ms", p99), "≤ 500 ms", p99 <= 500);
      r.info("Latency", "mock API server during the run", window.mockSummary());
      r.detail(Bench.f("Latency: min %.1f, p50 %.1f, p90 %.1f, p99 %.1f, max %.1f ms; the first key (cold provider "
          + "cache and JIT) took %.1f ms.%n  %s", sorted[0], p50, percentile(sorted, 90), p99,
          sorted[sorted.length - 1], first, window.describe()));
    }
  }

  static double percentile(double[] sorted, double p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }
}
