package dev.apikeyoperator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * N Ready keys, preloaded ({@link ReadyKeyClones}) into a mock API server of their own: the operator's heap after a
 * full GC and RSS with 0 and N keys, the steady state after a restart on them (vendor calls, writes, the CPU of the
 * full resync), and the heap per consuming workload (Deployments and bare Pods preloaded beside the keys).
 */
final class ScaleScenario {
  private static final String NS = "scale";

  private final Bench bench;
  private final World world;
  private final int keys;
  private final int workloads;

  /** One operator process brought to idle: its CPU up to idle, heap after full GC, RSS. */
  private record Idle(double toIdleSeconds, double readySeconds, double cpu, double heap, double metaspace,
      double rss, double reconciles, Window window) {}

  ScaleScenario(Bench bench, World world, int keys, int workloads) {
    this.bench = bench;
    this.world = world;
    this.keys = keys;
    this.workloads = workloads;
  }

  void run() throws Exception {
    world.simulator.faults().setRateLimitPerSecond(0).setLatencyMs(0);
    // one process: idle with 0 keys (the baseline), then it provisions the seed keys the clones copy
    world.namespaceWithProvider(ReadyKeyClones.SEED_NS);
    Idle zero;
    ReadyKeyClones clones;
    try (OperatorProcess op = bench.startOperator(world, ReadyKeyClones.SEED_NS, "zero-keys-then-seed")) {
      zero = idle(op, Window.open(world), "zero-keys");
      clones = ReadyKeyClones.capture(bench, world, 2, op);
    }
    long t0 = System.nanoTime();
    clones.preload(NS, keys);
    double preloadSeconds = Bench.secondsSince(t0);
    Bench.log("scale: preloaded %d Ready keys in %.1f s (%d objects in the store)", keys, preloadSeconds,
        world.mock.storedResources());
    MockCapacity.measure(bench, world, Bench.f("after preloading %d keys", keys), 300, 5);

    List<String> flags = bench.flags;
    Idle full;
    String fit = "";
    try {
      full = idle(flags, NS, "steady");
    } catch (IllegalStateException died) {
      fit = Bench.f(" (**%d keys did not fit with the chart's flags**: %s; measured with -Xmx1g)", keys,
          died.getMessage());
      Bench.log("scale: %s", fit);
      flags = new ArrayList<>(bench.flags);
      flags.add("-Xmx1g");
      full = idle(flags, NS, "steady-1g");
    }
    Report r = bench.report;
    long writes = full.window.mockWrites();
    int vendorCalls = full.window.vendorCalls();
    double resync = full.cpu - zero.cpu;
    r.row("Steady state", Bench.f("vendor calls after a restart with %d Ready keys", keys),
        Integer.toString(vendorCalls), "0", vendorCalls == 0);
    r.row("Steady state", "writes of any kind to the mock API server after the restart",
        Bench.f("%d%s", writes, writes == 0 ? "" : " " + writesOf(full.window)), "0", writes == 0);
    r.row("Steady state", "CPU-seconds of the full resync (start → idle, minus the idle operator's start-up)",
        Bench.f("%s%.1f (%.1f − %.1f)", Double.isNaN(full.toIdleSeconds) ? "still busy after 600 s: ≥ " : "",
            resync, full.cpu, zero.cpu), "≤ 5", resync <= 5 && !Double.isNaN(full.toIdleSeconds));
    r.info("Steady state", Bench.f("process start → idle (no reconcile, no vendor call for %d s)", bench.idleSeconds),
        Bench.f("%.1f s (readyz at %.1f s; %.0f reconciles)", full.toIdleSeconds, full.readySeconds,
            full.reconciles));
    r.info("Steady state", "mock API server during the restart", full.window.mockSummary());
    double perKeyKib = (full.heap - zero.heap) * 1024 / keys;
    r.row("Memory", Bench.f("heap after a full GC, %d Ready keys%s", keys, fit), Bench.f("%.1f MiB", full.heap),
        "≤ 80 MiB", full.heap <= 80);
    r.row("Memory", "heap per Ready key (slope from 0 keys)", Bench.f("%.2f KiB", perKeyKib), "≤ 8 KiB",
        perKeyKib <= 8);
    r.row("Memory", Bench.f("RSS, %d Ready keys", keys), Bench.f("%.1f MiB", full.rss), "≤ 220 MiB",
        full.rss <= 220);
    r.info("Memory", "heap after a full GC / RSS with 0 keys (provider only)",
        Bench.f("%.1f MiB / %.1f MiB", zero.heap, zero.rss));
    r.detail(Bench.f("Scale: %d Ready keys cloned from a seed the operator provisioned and preloaded into the mock's "
        + "store in %.1f s (%d objects); flags [%s].%n  0 keys (%s): idle after %.1f s, CPU %.1f s, heap %.1f MiB "
        + "(metaspace %.1f), RSS %.1f MiB.%n  %s%n  Restart on %d keys: idle after %.1f s, CPU %.1f s, heap %.1f MiB "
        + "(metaspace %.1f), RSS %.1f MiB.%n  %s", keys, preloadSeconds, world.mock.storedResources(),
        String.join(" ", flags), ReadyKeyClones.SEED_NS, zero.toIdleSeconds, zero.cpu, zero.heap, zero.metaspace,
        zero.rss, zero.window.describe(), keys, full.toIdleSeconds, full.cpu, full.heap, full.metaspace,
        full.rss, full.window.describe()));
    if (workloads > 0) {
      consumers(clones, flags, full);
    }
  }

  private void consumers(ReadyKeyClones clones, List<String> flags, Idle without) throws Exception {
    Consumers.preload(world, NS, workloads, keys, i -> clones.secretNameOf(Bench.key(i)));
    Idle with = idle(flags, NS, "consumers");
    double perWorkload = (with.heap - without.heap) * 1024 / (2.0 * workloads);
    Report r = bench.report;
    r.info("Consumers", Bench.f("heap per workload (%d Deployments + %d bare Pods, each reading one key's Secret, "
        + "beside %d keys)", workloads, workloads, keys), Bench.f("%.2f KiB (heap %.1f → %.1f MiB)", perWorkload,
        without.heap, with.heap));
    r.info("Consumers", "vendor calls + writes after the restart with the workloads",
        Bench.f("%d + %d", with.window.vendorCalls(), with.window.mockWrites()));
    r.detail(Bench.f("Consumers: restart on %d keys and %d workloads: idle after %.1f s, CPU %.1f s, heap %.1f MiB, "
        + "RSS %.1f MiB.%n  %s", keys, 2 * workloads, with.toIdleSeconds, with.cpu, with.heap, with.rss,
        with.window.describe()));
  }

  /** Starts an operator on {@code ns}, waits until idle, takes CPU, heap after a full GC and RSS, stops it. */
  private Idle idle(List<String> flags, String ns, String label) throws Exception {
    Window window = Window.open(world);
    try (OperatorProcess op = bench.startOperator(world, flags, ns, label)) {
      return idle(op, window, label);
    }
  }

  /** Waits until {@code op} is idle, takes CPU, heap after a full GC and RSS. */
  private Idle idle(OperatorProcess op, Window window, String label) throws Exception {
    op.awaitReady(Duration.ofSeconds(300));
    double ready = Bench.secondsSince(op.spawnedNanos);
    long end = op.awaitIdle(world, Duration.ofSeconds(bench.idleSeconds), Duration.ofSeconds(600));
    double cpu = op.cpuSeconds();
    double reconciles = OperatorProcess.reconciles(op.metrics());
    window.close();
    double[] heap = op.heapAfterFullGc();
    double rss = op.rssMiB();
    double toIdle = end < 0 ? Double.NaN : (end - op.spawnedNanos) / 1e9; // NaN: still busy at the deadline
    Bench.log("%s: idle %.1f s after spawn, CPU %.1f s, heap %.1f MiB, RSS %.1f MiB, %.0f reconciles; mock %s",
        label, toIdle, cpu, heap[0], rss, reconciles, window.mock());
    return new Idle(toIdle, ready, cpu, heap[0], heap[1], rss, reconciles, window);
  }

  private static String writesOf(Window w) {
    StringBuilder b = new StringBuilder("(");
    w.mock().forEach((k, v) -> {
      String verb = k.split(" ")[0];
      if (List.of("POST", "PUT", "PATCH", "DELETE").contains(verb)) {
        b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(v);
      }
    });
    return b.append(')').toString();
  }
}
