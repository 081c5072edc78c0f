package dev.apikeyoperator.bench;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The performance benchmark of issue #6: runs the operator jar as its own process against fabric8's mock API server
 * and the FME simulator (both in this JVM) and prints one table of figures against the issue's goals, also written
 * into {@code BENCHMARKS.md} between the {@code bench:begin}/{@code bench:end} markers (text around them is kept).
 * Figures, not assertions: the exit code is 0 whenever the run completed.
 */
@Command(name = "apikey-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measures the apikey-operator jar: burst, steady state, memory, start-up, latency (issue #6).")
public final class Benchmark implements Callable<Integer> {

  @Option(names = "--keys", defaultValue = "1000", description = "Burst: ApiKeys applied at once (N).")
  int keys;
  @Option(names = "--rate", defaultValue = "20", description = "Burst: simulator rate limit R, requests/s.")
  double rate;
  @Option(names = "--latency-ms", defaultValue = "50", description = "Burst: simulator latency per request, ms.")
  int latencyMs;
  @Option(names = "--provider-rate-limit", defaultValue = "0", description = "Burst: the ApiKeyProvider's "
      + "spec.rateLimit.requestsPerSecond (client-side pacing); 0 = unset, as shipped examples do.")
  double providerRateLimit;
  @Option(names = "--memory-keys", defaultValue = "10000", description = "Memory: ApiKeys Ready when measured.")
  int memoryKeys;
  @Option(names = "--latency-keys", defaultValue = "200", description = "Latency: ApiKeys applied one by one.")
  int latencyKeys;
  @Option(names = "--startup-runs", defaultValue = "3", description = "Start-up: runs per JVM configuration.")
  int startupRuns;
  @Option(names = "--jvm-flags", defaultValue = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -Xmx256m",
      description = "The operator's JVM flags (default: the chart's jvmOptions with a 256 MiB heap cap).")
  String jvmFlags;
  @Option(names = "--scenarios", defaultValue = "burst,steady,memory,startup,latency", split = ",",
      description = "Which of burst,steady,memory,startup,latency to run.")
  List<String> scenarios;
  @Option(names = "--out", defaultValue = "BENCHMARKS.md", description = "Markdown file to write the table into.")
  Path out;
  @Option(names = "--small", description = "Smoke form: 50 keys, R=20, 500 memory keys, 20 latency keys, 1 start-up "
      + "run each.")
  boolean small;
  @Option(names = "--idle-seconds", defaultValue = "5",
      description = "Steady state: the operator is idle once no reconcile started for this long.")
  int idleSeconds;
  @Option(names = "--operator-jar", defaultValue = "${sys:operator.jar:-operator/target/apikey-operator.jar}")
  Path operatorJar;
  @Option(names = "--crds-dir", defaultValue = "${sys:crds.dir:-crds}")
  Path crdsDir;
  @Option(names = "--work-dir", defaultValue = "${sys:bench.work.dir:-bench/target/bench-work}",
      description = "kubeconfig and one log per operator process.")
  Path workDir;

  private String[] rawArgs = new String[0];
  private World world;
  private final Report report = new Report();
  private int processes;
  /** The burst's namespace holds N Ready keys once the burst ran (the steady-state scenario restarts on it). */
  private boolean burstDone;
  private String burstNs;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    Benchmark b = new Benchmark();
    b.rawArgs = args;
    return new CommandLine(b).execute(args);
  }

  /** The table of the last run (for the smoke test). */
  static volatile String lastTable;

  @Override
  public Integer call() throws Exception {
    if (small) {
      keys = 50;
      rate = 20;
      memoryKeys = 500;
      latencyKeys = 20;
      startupRuns = 1;
    }
    Set<String> run = new LinkedHashSet<>(scenarios);
    if (!operatorJar.toFile().isFile() && Path.of("..").resolve(operatorJar).toFile().isFile()) {
      operatorJar = Path.of("..").resolve(operatorJar); // run from bench/
      crdsDir = Path.of("..").resolve(crdsDir);
    }
    Files.createDirectories(workDir);
    log("operator jar %s, JVM flags [%s], scenarios %s, work dir %s", operatorJar, jvmFlags, run, workDir);
    try (World w = new World(crdsDir, workDir)) {
      world = w;
      mockThroughput("empty store", keys);
      if (run.contains("burst")) {
        burst();
      }
      if (run.contains("steady")) {
        steady();
      }
      if (run.contains("startup")) {
        startup();
      }
      if (run.contains("latency")) {
        latency();
      }
      if (run.contains("memory")) { // last: it fills the mock's store, which slows every later request
        memory();
        mockThroughput("after the memory scenario", keys);
      }
    }
    String md = report.render(command(), jvmFlags, flagsList().isEmpty());
    lastTable = report.table();
    System.out.println();
    System.out.println(report.table());
    writeOut(md);
    log("written to %s", out.toAbsolutePath());
    return 0;
  }

  // ------------------------------------------------------------------------------------------------- scenarios

  private void mockThroughput(String when, int n) throws Exception {
    String ns = "mock-" + (processes++);
    world.client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(ns).endMetadata().build()).create();
    long t0 = System.nanoTime();
    parallel(n, 4, i -> world.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata()
        .withName("s" + i).endMetadata().addToStringData("apiKey", "v" + i).build()).create());
    double s = secondsSince(t0);
    log("mock API server (%s): %d Secret creates from 4 threads in %.2f s = %.0f creates/s", when, n, s, n / s);
    report.mockCreatesPerSecond.add(new double[] {n / s});
    report.mockNotes.add(String.format(Locale.ROOT, "%s: %.0f creates/s (%d Secrets, 4 client threads)", when,
        n / s, n));
  }

  private void burst() throws Exception {
    burstNs = "burst";
    world.namespaceWithProvider(burstNs, providerRateLimit);
    world.simulator.faults().setRateLimitPerSecond(rate).setLatencyMs(latencyMs);
    try (OperatorProcess op = startOperator(flagsList(), burstNs, "burst");
         ReadyTracker ready = new ReadyTracker(world, burstNs)) {
      op.awaitReady(Duration.ofSeconds(120));
      Thread.sleep(1000); // the provider's own check (vendor calls) is not part of the burst
      Map<String, Integer> simBefore = world.simulator.requestCounts();
      Map<String, Long> mockBefore = world.dispatcher.snapshot();
      int createsBefore = world.simulator.createCount();
      double cpu0 = op.cpuSeconds();
      long t0 = System.nanoTime();
      parallel(keys, 4, i -> world.apiKeys().inNamespace(burstNs).resource(World.apiKey(burstNs, key(i))).create());
      double applied = secondsSince(t0);
      log("burst: applied %d ApiKeys in %.2f s (%.0f/s)", keys, applied, keys / applied);
      double ideal = keys / rate;
      awaitAll(ready, burstNs, keys, Duration.ofSeconds((long) Math.max(120, ideal * 10)), op);
      double took = (ready.lastReadyNanos() - t0) / 1e9;
      double cpu = op.cpuSeconds() - cpu0;
      Map<String, Integer> sim = World.delta(world.simulator.requestCounts(), simBefore);
      Map<String, Long> mock = World.CountingDispatcher.delta(world.dispatcher.snapshot(), mockBefore);
      int creates = world.simulator.createCount() - createsBefore;
      int vendorCalls = sim.values().stream().mapToInt(Integer::intValue).sum();
      int throttled = sim.entrySet().stream().filter(e -> e.getKey().endsWith(" 429"))
          .mapToInt(Map.Entry::getValue).sum();
      int createAttempts = sim.entrySet().stream().filter(e -> e.getKey().startsWith("POST /apiKeys"))
          .mapToInt(Map.Entry::getValue).sum();
      String metrics = op.metrics();
      log("burst: all %d Ready after %.2f s (N/R = %.2f s); simulator %s", keys, took, ideal, sim);
      log("burst: mock API requests %s", mock);

      report.row("Burst", String.format(Locale.ROOT, "time until all %d Ready (R=%s/s, %d ms%s)", keys,
          fmt(rate), latencyMs, providerRateLimit > 0 ? ", provider rateLimit " + fmt(providerRateLimit) + "/s" : ""), String.format(Locale.ROOT, "%.1f s", took), "—", null);
      report.row("Burst", "N/R", String.format(Locale.ROOT, "%.1f s", ideal), "—", null);
      report.row("Burst", "time / (N/R)", String.format(Locale.ROOT, "%.3f", took / ideal), "≤ 1.05",
          took / ideal <= 1.05);
      report.row("Burst", "create calls per key (keys minted / N)",
          String.format(Locale.ROOT, "%.3f", creates / (double) keys), "1.000", creates == keys);
      report.row("Burst", "POST /apiKeys attempts per key (incl. 429)",
          String.format(Locale.ROOT, "%.3f", createAttempts / (double) keys), "—", null);
      report.row("Burst", "429 answers / vendor calls", String.format(Locale.ROOT, "%.1f %% (%d / %d)",
          100.0 * throttled / vendorCalls, throttled, vendorCalls), "≤ 1 %", throttled <= 0.01 * vendorCalls);
      report.row("Burst", "throughput: ApiKeys applied by the bench / keys made Ready by the operator",
          String.format(Locale.ROOT, "%.0f/s / %.1f/s", keys / applied, keys / took), "—", null);
      report.row("Burst", "operator CPU-seconds per 1000 keys", String.format(Locale.ROOT, "%.2f",
          cpu * 1000 / keys), "≤ 10", cpu * 1000 / keys <= 10);
      report.details.add(String.format(Locale.ROOT, "Burst: %d ApiKeys applied in %.2f s from 4 threads; all Ready "
          + "after %.2f s; operator CPU %.1f s; reconciles started %.0f.%n  simulator calls: %s%n  mock API server "
          + "requests: %s", keys, applied, took, cpu, OperatorProcess.reconciles(metrics), sim, mock));
      burstDone = true;
      world.simulator.faults().setRateLimitPerSecond(0).setLatencyMs(0);
    }
  }

  private void steady() throws Exception {
    if (!burstDone) { // the steady state needs N Ready keys: provision them unthrottled, unmeasured
      burstNs = "steady";
      world.namespaceWithProvider(burstNs);
      world.simulator.faults().setRateLimitPerSecond(0).setLatencyMs(0);
      try (OperatorProcess op = startOperator(flagsList(), burstNs, "steady-setup");
           ReadyTracker ready = new ReadyTracker(world, burstNs)) {
        op.awaitReady(Duration.ofSeconds(120));
        parallel(keys, 4, i -> world.apiKeys().inNamespace(burstNs).resource(World.apiKey(burstNs, key(i)))
            .create());
        awaitAll(ready, burstNs, keys, Duration.ofSeconds(600), op);
      }
    }
    world.simulator.faults().setRateLimitPerSecond(rate).setLatencyMs(latencyMs);
    Map<String, Integer> simBefore = world.simulator.requestCounts();
    Map<String, Long> mockBefore = world.dispatcher.snapshot();
    try (OperatorProcess op = startOperator(flagsList(), burstNs, "steady")) {
      op.awaitReady(Duration.ofSeconds(120));
      double readyAt = secondsSince(op.spawnedNanos);
      long lastChange = System.nanoTime();
      double last = -1;
      double vendorLast = -1;
      long deadline = System.nanoTime() + Duration.ofSeconds(600).toNanos();
      while (System.nanoTime() < deadline) {
        String m = op.metrics();
        double r = OperatorProcess.reconciles(m);
        double v = world.simulator.requestCounts().values().stream().mapToInt(Integer::intValue).sum();
        if (r != last || v != vendorLast) {
          last = r;
          vendorLast = v;
          lastChange = System.nanoTime();
        } else if (r > 0 && System.nanoTime() - lastChange >= Duration.ofSeconds(idleSeconds).toNanos()) {
          break;
        }
        Thread.sleep(200);
      }
      double toIdle = (lastChange - op.spawnedNanos) / 1e9;
      double cpu = op.cpuSeconds();
      Map<String, Integer> sim = World.delta(world.simulator.requestCounts(), simBefore);
      Map<String, Long> mock = World.CountingDispatcher.delta(world.dispatcher.snapshot(), mockBefore);
      int vendorCalls = sim.values().stream().mapToInt(Integer::intValue).sum();
      long secretWrites = World.CountingDispatcher.writes(mock, "secrets");
      long apiKeyWrites = World.CountingDispatcher.writes(mock, "apikeys");
      long eventWrites = World.CountingDispatcher.writes(mock, "events");
      log("steady: idle %.1f s after spawn (ready %.1f s); %.0f reconciles; simulator %s; mock %s", toIdle,
          readyAt, last, sim, mock);
      report.row("Steady state", String.format("vendor calls after a restart with %d keys Ready", keys),
          Integer.toString(vendorCalls), "0", vendorCalls == 0);
      report.row("Steady state", "Secret writes after the restart", Long.toString(secretWrites), "0",
          secretWrites == 0);
      report.row("Steady state", "ApiKey (incl. status) and Event writes after the restart",
          apiKeyWrites + " + " + eventWrites, "—", null);
      report.row("Steady state", "process start → idle (no reconcile for " + idleSeconds + " s)",
          String.format(Locale.ROOT, "%.1f s (readyz at %.1f s)", toIdle, readyAt), "—", null);
      report.details.add(String.format(Locale.ROOT, "Steady state: restart with %d Ready keys: %.0f reconciles, "
          + "operator CPU %.1f s up to idle.%n  simulator calls: %s%n  mock API server requests: %s", keys, last,
          cpu, sim, mock));
    } finally {
      world.simulator.faults().setRateLimitPerSecond(0).setLatencyMs(0);
    }
  }

  private void memory() throws Exception {
    String ns = "memory";
    world.namespaceWithProvider(ns);
    world.simulator.faults().setRateLimitPerSecond(0).setLatencyMs(0);
    try (OperatorProcess op = startOperator(flagsList(), ns, "memory");
         ReadyTracker ready = new ReadyTracker(world, ns)) {
      op.awaitReady(Duration.ofSeconds(120));
      Thread.sleep(1000);
      awaitIdle(op, Duration.ofSeconds(3), Duration.ofSeconds(60));
      double[] heap0 = op.heapAfterFullGc();
      double rss0 = op.rssMiB();
      Map<String, Long> mockBefore = world.dispatcher.snapshot();
      double cpu0 = op.cpuSeconds();
      long t0 = System.nanoTime();
      parallel(memoryKeys, 2, i -> world.apiKeys().inNamespace(ns).resource(World.apiKey(ns, key(i))).create());
      double applied = secondsSince(t0);
      log("memory: applied %d ApiKeys in %.1f s", memoryKeys, applied);
      awaitAll(ready, ns, memoryKeys, Duration.ofSeconds(Math.max(300, memoryKeys / 5)), op);
      double took = (ready.lastReadyNanos() - t0) / 1e9;
      double cpu = op.cpuSeconds() - cpu0;
      Map<String, Long> mock = World.CountingDispatcher.delta(world.dispatcher.snapshot(), mockBefore);
      long mockRequests = mock.values().stream().mapToLong(Long::longValue).sum();
      awaitIdle(op, Duration.ofSeconds(3), Duration.ofSeconds(120));
      double[] heap = op.heapAfterFullGc();
      double rss = op.rssMiB();
      log("memory: %d Ready after %.1f s; heap after full GC %.1f MiB (metaspace %.1f MiB); RSS %.1f MiB",
          memoryKeys, took, heap[0], heap[1], rss);
      report.row("Memory", String.format("heap used after a full GC, %d keys Ready", memoryKeys),
          String.format(Locale.ROOT, "%.1f MiB", heap[0]), "≤ 80 MiB", heap[0] <= 80);
      report.row("Memory", String.format("RSS, %d keys Ready", memoryKeys),
          String.format(Locale.ROOT, "%.1f MiB", rss), "≤ 220 MiB", rss <= 220);
      double perThousand = (heap[0] - heap0[0]) * 1000 / memoryKeys;
      report.row("Memory", "heap after a full GC with 0 keys (provider only) / RSS",
          String.format(Locale.ROOT, "%.1f MiB / %.1f MiB", heap0[0], rss0), "—", null);
      report.row("Memory", "heap per 1000 Ready keys (slope of the two points above)",
          String.format(Locale.ROOT, "%.2f MiB", perThousand), "—", null);
      if (memoryKeys < 10_000) {
        double at10k = heap0[0] + perThousand * 10;
        report.row("Memory", "heap after a full GC at 10 000 keys, EXTRAPOLATED linearly (not measured)",
            String.format(Locale.ROOT, "≈ %.1f MiB", at10k), "≤ 80 MiB", at10k <= 80);
      }
      report.row("Memory", "operator CPU-seconds per 1000 keys (no rate limit, 0 ms)",
          String.format(Locale.ROOT, "%.2f", cpu * 1000 / memoryKeys), "≤ 10", cpu * 1000 / memoryKeys <= 10);
      report.row("Memory", "provisioning throughput, no rate limit (operator / mock capacity)",
          String.format(Locale.ROOT, "%.0f keys/s (%.0f mock requests/s)", memoryKeys / took, mockRequests / took),
          "—", null);
      report.details.add(String.format(Locale.ROOT, "Memory: simulator rate limit off and 0 ms latency (10 000 keys "
          + "at R=20 would take 500 s); %d ApiKeys applied in %.1f s from 2 threads, all Ready after %.1f s; "
          + "operator CPU %.1f s; metaspace %.1f MiB.%n  mock API server requests: %s", memoryKeys, applied, took,
          cpu, heap[1], mock));
    }
  }

  private void startup() throws Exception {
    String ns = "startup";
    world.namespaceWithProvider(ns);
    world.simulator.faults().setRateLimitPerSecond(0).setLatencyMs(0);
    world.apiKeys().inNamespace(ns).resource(World.apiKey(ns, "first")).create();
    double shipped = startupMedian(flagsList(), ns, "startup-shipped");
    double plain = startupMedian(List.of(), ns, "startup-plain");
    report.row("Start-up", "process start → first reconcile, shipped JVM flags (median of " + startupRuns + ")",
        String.format(Locale.ROOT, "%.2f s", shipped), "≤ 1.0 s", shipped <= 1.0);
    report.row("Start-up", "process start → first reconcile, plain java -jar (median of " + startupRuns + ")",
        String.format(Locale.ROOT, "%.2f s", plain), "≤ 2 s", plain <= 2.0);
    // AppCDS: one training run writes a dynamic archive at exit, then the shipped flags use it.
    Path jsa = workDir.resolve("apikey-operator.jsa").toAbsolutePath();
    Files.deleteIfExists(jsa);
    List<String> train = new ArrayList<>(flagsList());
    train.add("-XX:ArchiveClassesAtExit=" + jsa);
    try (OperatorProcess op = startOperator(train, ns, "startup-cds-train")) {
      firstReconcile(op);
      Thread.sleep(2000);
      op.stop();
    }
    if (Files.isRegularFile(jsa)) {
      List<String> cds = new ArrayList<>(flagsList());
      cds.add("-XX:SharedArchiveFile=" + jsa);
      double withCds = startupMedian(cds, ns, "startup-cds");
      report.row("Start-up", "process start → first reconcile, shipped flags + AppCDS archive (median of "
          + startupRuns + ")", String.format(Locale.ROOT, "%.2f s", withCds), "(≤ 1.0 s)", withCds <= 1.0);
    } else {
      report.details.add("Start-up: the AppCDS training run wrote no archive at " + jsa);
    }
  }

  private double startupMedian(List<String> flags, String ns, String label) throws Exception {
    double[] runs = new double[startupRuns];
    for (int i = 0; i < startupRuns; i++) {
      try (OperatorProcess op = startOperator(flags, ns, label)) {
        runs[i] = firstReconcile(op);
      }
    }
    Arrays.sort(runs);
    log("startup %s: %s s", label, Arrays.toString(runs));
    report.details.add(String.format(Locale.ROOT, "Start-up %s [%s]: %s s", label, String.join(" ", flags),
        Arrays.toString(runs)));
    return runs[runs.length / 2];
  }

  /** Seconds from spawn to the first ApiKey reconcile seen in /metrics (polled every 5 ms). */
  private double firstReconcile(OperatorProcess op) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!op.process.isAlive()) {
        throw new IllegalStateException("the operator exited; see " + op.log);
      }
      String m = op.get("/metrics", 100);
      if (OperatorProcess.sum(m, "operator_sdk_reconciliations_started_total",
          l -> l.contains("kind=\"ApiKey\"")) > 0) {
        return secondsSince(op.spawnedNanos);
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no ApiKey reconcile within 120 s; see " + op.log);
  }

  private void latency() throws Exception {
    String ns = "latency";
    world.namespaceWithProvider(ns);
    world.simulator.faults().setRateLimitPerSecond(0).setLatencyMs(0);
    try (OperatorProcess op = startOperator(flagsList(), ns, "latency");
         ReadyTracker ready = new ReadyTracker(world, ns)) {
      op.awaitReady(Duration.ofSeconds(120));
      Thread.sleep(1000);
      double[] ms = new double[latencyKeys];
      for (int i = 0; i < latencyKeys; i++) {
        long t0 = System.nanoTime();
        world.apiKeys().inNamespace(ns).resource(World.apiKey(ns, key(i))).create();
        ms[i] = (ready.await(key(i), Duration.ofSeconds(60)) - t0) / 1e6;
      }
      double first = ms[0];
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      double p50 = percentile(sorted, 50);
      double p99 = percentile(sorted, 99);
      log("latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms, first %.1f ms", p50, p99, sorted[sorted.length - 1],
          first);
      report.row("Latency", "ApiKey created → Ready, p50 (" + latencyKeys + " keys one by one, 0 ms simulator)",
          String.format(Locale.ROOT, "%.1f ms", p50), "≤ 100 ms", p50 <= 100);
      report.row("Latency", "ApiKey created → Ready, p99",
          String.format(Locale.ROOT, "%.1f ms", p99), "≤ 500 ms", p99 <= 500);
      report.details.add(String.format(Locale.ROOT, "Latency: min %.1f, p50 %.1f, p90 %.1f, p99 %.1f, max %.1f ms; "
          + "the first key (cold provider cache and JIT) took %.1f ms", sorted[0], p50, percentile(sorted, 90), p99,
          sorted[sorted.length - 1], first));
    }
  }

  // ------------------------------------------------------------------------------------------------- helpers

  private OperatorProcess startOperator(List<String> flags, String ns, String label) throws IOException {
    Path logFile = workDir.resolve(String.format("operator-%02d-%s.log", processes++, label));
    OperatorProcess op = OperatorProcess.start(operatorJar, flags, world, ns, logFile);
    Process p = op.process;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { // an interrupted benchmark leaves no operator behind
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }));
    log("operator %s started: pid %d, port %d, log %s", label, op.pid(), op.port, logFile.getFileName());
    return op;
  }

  private void awaitAll(ReadyTracker ready, String ns, int n, Duration max, OperatorProcess op)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long lastLog = System.nanoTime();
    long lastPoll = System.nanoTime();
    while (ready.count() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(ns + ": only " + ready.count() + " of " + n + " Ready within " + max);
      }
      if (!op.process.isAlive()) {
        throw new IllegalStateException("the operator exited; see " + op.log);
      }
      if (System.nanoTime() - lastPoll > Duration.ofSeconds(10).toNanos()) {
        ready.poll(); // in case the watch missed an event
        lastPoll = System.nanoTime();
      }
      if (System.nanoTime() - lastLog > Duration.ofSeconds(10).toNanos()) {
        log("%s: %d of %d Ready; operator CPU %.1f s, RSS %.0f MiB", ns, ready.count(), n, op.cpuSeconds(),
            op.rssMiB());
        lastLog = System.nanoTime();
      }
      Thread.sleep(20);
    }
  }

  /** Until no reconcile started for {@code quiet}. */
  private static void awaitIdle(OperatorProcess op, Duration quiet, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    double last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      double r = OperatorProcess.reconciles(op.metrics());
      if (r != last) {
        last = r;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange >= quiet.toNanos()) {
        return;
      }
      Thread.sleep(200);
    }
  }

  private static void parallel(int n, int threads, IntConsumer task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int start = t;
        fs.add(pool.submit(() -> {
          for (int i = start; i < n; i += threads) {
            task.accept(i);
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static double percentile(double[] sorted, double p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  private static String key(int i) {
    return String.format("k%05d", i);
  }

  private static double secondsSince(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private List<String> flagsList() {
    return jvmFlags == null || jvmFlags.isBlank() ? List.of() : List.of(jvmFlags.trim().split("\\s+"));
  }

  private String command() {
    StringBuilder b = new StringBuilder("java -jar bench/target/apikey-bench.jar");
    for (String a : rawArgs) {
      b.append(' ').append(a.contains(" ") ? "'" + a + "'" : a);
    }
    return b.toString();
  }

  private void writeOut(String md) throws IOException {
    String begin = "<!-- bench:begin -->";
    String end = "<!-- bench:end -->";
    String block = begin + "\n" + md + end;
    String text;
    if (Files.isRegularFile(out)) {
      String old = Files.readString(out);
      int b = old.indexOf(begin);
      int e = old.indexOf(end);
      text = b >= 0 && e > b ? old.substring(0, b) + block + old.substring(e + end.length())
          : old + "\n" + block + "\n";
    } else {
      text = "# Benchmarks\n\n" + block + "\n";
    }
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Files.writeString(out, text, StandardCharsets.UTF_8);
  }

  static void log(String format, Object... args) {
    System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] "
        + String.format(Locale.ROOT, format, args));
  }

  /** Rows and details of one run. */
  static final class Report {
    record Row(String section, String figure, String measured, String goal, Boolean met) {}

    final List<Row> rows = new ArrayList<>();
    final List<String> details = new ArrayList<>();
    final List<double[]> mockCreatesPerSecond = new ArrayList<>();
    final List<String> mockNotes = new ArrayList<>();

    void row(String section, String figure, String measured, String goal, Boolean met) {
      rows.add(new Row(section, figure, measured, goal, met));
    }

    String table() {
      StringBuilder b = new StringBuilder();
      b.append("| scenario | figure | measured | goal | met? |\n|---|---|---|---|---|\n");
      for (Row r : rows) {
        b.append("| ").append(r.section).append(" | ").append(r.figure).append(" | ").append(r.measured)
            .append(" | ").append(r.goal).append(" | ").append(r.met == null ? "—" : r.met ? "yes" : "**no**")
            .append(" |\n");
      }
      for (String m : mockNotes) {
        b.append("| Mock API server | Secret creates/s, ").append(m.substring(0, m.indexOf(':'))).append(" | ")
            .append(m.substring(m.indexOf(':') + 2)).append(" | — | — |\n");
      }
      return b.toString();
    }

    String render(String command, String jvmFlags, boolean plain) {
      StringBuilder b = new StringBuilder();
      b.append("Run on ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(
          Locale.ROOT)).replaceAll("\\.\\d+", "")).append(" with\n\n```\n").append(command).append("\n```\n\n");
      b.append("Machine: ").append(Machine.describe()).append("\n\n");
      b.append("Operator JVM flags: `").append(plain ? "(none)" : jvmFlags).append("`\n\n");
      b.append(table()).append('\n');
      b.append("Details (counts are deltas over each scenario's window):\n\n");
      b.append("- Load average (1/5/15 min) when the run ended: ").append(Machine.loadAverage())
          .append(" (anything above the operator's and the bench's own share means other work shared the CPUs)\n");
      for (String d : details) {
        b.append("- ").append(d.replace("\n", "\n  ")).append('\n');
      }
      return b.toString();
    }
  }
}
