package dev.apikeyoperator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One ApiKey exists; process spawn → the first ApiKey reconcile in /metrics (polled every 5 ms), with the shipped
 * flags, with a plain {@code java -jar}, and with the shipped flags plus a dynamic AppCDS archive from a training run.
 */
final class StartupScenario {
  private final Bench bench;
  private final World world;
  private final int runs;

  StartupScenario(Bench bench, World world, int runs) {
    this.bench = bench;
    this.world = world;
    this.runs = runs;
  }

  void run() throws Exception {
    String ns = "startup";
    world.namespaceWithProvider(ns);
    world.simulator.faults().setRateLimitPerSecond(0).setLatencyMs(0);
    world.apiKeys().inNamespace(ns).resource(World.apiKey(ns, "first")).create();
    Window window = Window.open(world);
    double shipped = median(bench.flags, ns, "startup-shipped");
    double plain = median(List.of(), ns, "startup-plain");
    Report r = bench.report;
    r.row("Start-up", "process start → first reconcile, shipped JVM flags with the image's AppCDS archive (median of "
        + runs + ")",
        Bench.f("%.2f s", shipped), "≤ 1.0 s", shipped <= 1.0);
    r.row("Start-up", "process start → first reconcile, plain java -jar (median of " + runs + ")",
        Bench.f("%.2f s", plain), "≤ 2 s", plain <= 2.0);
    // AppCDS: one training run writes a dynamic archive at exit, then the shipped flags use it.
    Path jsa = bench.workDir.resolve("apikey-operator.jsa").toAbsolutePath();
    Files.deleteIfExists(jsa);
    List<String> train = ImageArchive.withoutArchive(String.join(" ", bench.flags));
    train.add("-XX:ArchiveClassesAtExit=" + jsa);
    try (OperatorProcess op = bench.startOperator(world, train, ns, "startup-cds-train")) {
      firstReconcile(op);
      op.awaitIdle(world, Duration.ofSeconds(1), Duration.ofSeconds(30));
      op.stop();
    }
    if (Files.isRegularFile(jsa)) {
      List<String> cds = ImageArchive.withoutArchive(String.join(" ", bench.flags));
      cds.add("-XX:SharedArchiveFile=" + jsa);
      double withCds = median(cds, ns, "startup-cds");
      r.row("Start-up", "process start → first reconcile, shipped flags + an archive trained by a full run (median of "
          + runs + ")",
          Bench.f("%.2f s", withCds), "(≤ 1.0 s)", withCds <= 1.0);
    } else {
      r.detail("Start-up: the AppCDS training run wrote no archive at " + jsa);
    }
    window.close();
    r.info("Start-up", "mock API server over the start-up runs", window.mockSummary());
    r.detail("Start-up, all runs: " + window.describe());
  }

  private double median(List<String> flags, String ns, String label) throws Exception {
    double[] times = new double[runs];
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      try (OperatorProcess op = bench.startOperator(world, flags, ns, label)) {
        times[i] = firstReconcile(op);
        cpu[i] = op.cpuSeconds();
      }
    }
    Arrays.sort(times);
    Arrays.sort(cpu);
    // The CPU the operator used up to its first reconcile moves less with the machine's load than the wall time.
    Bench.log("startup %s: %s s; operator CPU-seconds by then %s", label, Arrays.toString(times), Arrays.toString(cpu));
    bench.report.detail(Bench.f("Start-up %s [%s]: %s s; operator CPU-seconds by the first reconcile %s", label,
        String.join(" ", flags), Arrays.toString(times), Arrays.toString(cpu)));
    return times[times.length / 2];
  }

  /** Seconds from spawn to the first ApiKey reconcile seen in /metrics (polled every 5 ms). */
  private static double firstReconcile(OperatorProcess op) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!op.process.isAlive()) {
        throw new IllegalStateException("the operator exited; see " + op.log);
      }
      if (OperatorProcess.apiKeyReconciles(op.get("/metrics", 100)) > 0) {
        return Bench.secondsSince(op.spawnedNanos);
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no ApiKey reconcile within 120 s; see " + op.log);
  }
}
