package dev.apikeyoperator.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * N ApiKeys against a vendor limited to R requests/s with a fixed latency, in four variants: keys applied to a
 * running operator or already pending when it starts (a GitOps sync, a restart with work pending), each with no
 * {@code spec.rateLimit} on the provider (paced by the vendor's 429s) and with it set to the account's limit.
 */
final class BurstScenario {
  /** One variant: {@code pending} = all ApiKeys exist before the operator starts. */
  record Variant(String name, boolean pending, boolean rateLimit) {
    String describe(double rate) {
      return (pending ? "pending at start" : "applied to a running operator") + ", "
          + (rateLimit ? "spec.rateLimit " + Bench.fmt(rate) + "/s burst " + (int) Math.ceil(rate)
              : "no spec.rateLimit");
    }
  }

  static final List<Variant> VARIANTS = List.of(new Variant("running", false, false),
      new Variant("running-ratelimit", false, true), new Variant("pending", true, false),
      new Variant("pending-ratelimit", true, true));

  private final Bench bench;
  private final World world;
  private final int keys;
  private final double rate;
  private final int latencyMs;

  BurstScenario(Bench bench, World world, int keys, double rate, int latencyMs) {
    this.bench = bench;
    this.world = world;
    this.keys = keys;
    this.rate = rate;
    this.latencyMs = latencyMs;
  }

  void run(Variant v) throws Exception {
    String ns = "burst-" + v.name;
    Map<String, Object> limit = null;
    if (v.rateLimit) {
      limit = new LinkedHashMap<>();
      limit.put("requestsPerSecond", rate);
      limit.put("burst", (int) Math.ceil(rate));
    }
    world.namespaceWithProvider(ns, limit);
    world.simulator.faults().setRateLimitPerSecond(rate).setLatencyMs(latencyMs);
    String section = "Burst " + v.name;
    try (ReadyTracker ready = new ReadyTracker(world, ns)) {
      OperatorProcess op = null;
      Window window;
      long t0;
      double applied;
      double cpu0 = 0;
      double reconciles0 = 0;
      CreateTimeline timeline;
      try {
        if (!v.pending) {
          op = bench.startOperator(world, ns, "burst-" + v.name);
          op.awaitReady(Duration.ofSeconds(120));
          op.awaitIdle(world, Duration.ofSeconds(1), Duration.ofSeconds(60)); // the provider's own check is not part
          cpu0 = op.cpuSeconds();
          reconciles0 = OperatorProcess.apiKeyReconciles(op.metrics());
        }
        window = Window.open(world);
        timeline = new CreateTimeline(world.simulator);
        t0 = System.nanoTime();
        Parallel.run(keys, 4, i -> world.apiKeys().inNamespace(ns).resource(World.apiKey(ns, Bench.key(i)))
            .create());
        applied = Bench.secondsSince(t0);
        if (v.pending) {
          op = bench.startOperator(world, ns, "burst-" + v.name);
        }
        ready.awaitCount(keys, Duration.ofSeconds((long) Math.max(120, keys / rate * 10)), op);
        timeline.close();
        window.close();
        String metrics = op.metrics();
        double cpu = op.cpuSeconds() - cpu0;
        double reconciles = OperatorProcess.apiKeyReconciles(metrics) - reconciles0;
        report(v, section, ready, window, timeline, t0, applied, cpu, reconciles, op);
      } finally {
        if (op != null) {
          op.close();
        }
        world.simulator.faults().setRateLimitPerSecond(0).setLatencyMs(0);
      }
    }
  }

  private void report(Variant v, String section, ReadyTracker ready, Window window, CreateTimeline timeline,
      long t0, double applied, double cpu, double reconciles, OperatorProcess op) {
    double ideal = keys / rate;
    long firstCreate = timeline.firstCreateNanos();
    double fromCreate = (ready.lastReadyNanos() - firstCreate) / 1e9;
    double fromApply = (ready.lastReadyNanos() - t0) / 1e9;
    int creates = window.vendor("POST /apiKeys", " 201");
    int attempts = window.vendor("POST /apiKeys", "");
    int throttled = window.vendor("", " 429");
    int calls = window.vendorCalls();
    int firstSecond = timeline.throttledInFirstSecond();
    Report r = bench.report;
    r.info(section, Bench.f("%d keys, R=%s/s, %d ms, %s", keys, Bench.fmt(rate), latencyMs, v.describe(rate)),
        Bench.f("all Ready %.1f s after the first create call (N/R = %.1f s)", fromCreate, ideal));
    r.row(section, "time / (N/R), first vendor create → last Ready", Bench.f("%.3f", fromCreate / ideal), "≤ 1.05",
        fromCreate / ideal <= 1.05);
    r.info(section, "time / (N/R), first apply → last Ready" + (v.pending ? " (incl. the operator's start-up)" : ""),
        Bench.f("%.3f (%.1f s)", fromApply / ideal, fromApply));
    r.row(section, "429 answers / vendor calls", Bench.f("%.1f %% (%d / %d)", 100.0 * throttled / calls, throttled,
        calls), "≤ 1 %", throttled <= 0.01 * calls);
    r.row(section, "429 answers in the first second of creates", Integer.toString(firstSecond), "0",
        firstSecond == 0);
    r.row(section, "create calls per key (keys minted / N)", Bench.f("%.3f", creates / (double) keys), "1.000",
        creates == keys);
    r.info(section, "POST /apiKeys attempts per key (incl. 429)", Bench.f("%.3f", attempts / (double) keys));
    r.row(section, "ApiKey reconciles per new key (operator /metrics)", Bench.f("%.2f", reconciles / keys), "≤ 2",
        reconciles / keys <= 2);
    if (v.pending) {
      r.info(section, "operator CPU-seconds per 1000 keys, incl. the start-up", Bench.f("%.2f", cpu * 1000 / keys));
    } else {
      r.row(section, "operator CPU-seconds per 1000 keys", Bench.f("%.2f", cpu * 1000 / keys), "≤ 10",
          cpu * 1000 / keys <= 10);
    }
    r.info(section, "mock API server during the burst", window.mockSummary());
    Bench.log("%s: all %d Ready %.1f s after the first create (%.1f s after the first apply); %d/%d 429; vendor %s",
        section, keys, fromCreate, fromApply, throttled, calls, window.vendor());
    r.detail(Bench.f("%s (%s): %d ApiKeys applied in %.2f s from 4 threads (%.0f/s); first create call %.2f s after "
        + "the first apply (sampled every 10 ms, when its answer was counted); all Ready %.2f s after it; operator "
        + "CPU %.1f s, %.0f ApiKey reconciles (%s).%n  %s", section, v.describe(rate), keys, applied, keys / applied,
        (firstCreate - t0) / 1e9, fromCreate, cpu, reconciles, op.log.getFileName(), window.describe()));
  }
}
