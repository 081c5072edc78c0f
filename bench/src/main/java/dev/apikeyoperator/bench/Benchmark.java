package dev.apikeyoperator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The performance benchmark (BENCHMARKS.md): runs the operator jar as its own process against fabric8's mock
 * API server and the FME simulator (both in this JVM) and prints one table of figures against the goals,
 * also written into {@code BENCHMARKS.md} between the {@code bench:begin}/{@code bench:end} markers (text around
 * them is kept). Figures, not assertions: the exit code is 0 whenever the run completed.
 */
@Command(name = "apikey-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measures the apikey-operator jar: burst, scale (memory, steady state, consumers), start-up, "
        + "latency.")
public final class Benchmark implements Callable<Integer> {

  @Option(names = "--keys", defaultValue = "1000", description = "Burst: ApiKeys per variant (N).")
  int keys;
  @Option(names = "--rate", defaultValue = "20", description = "Burst: simulator rate limit R, requests/s.")
  double rate;
  @Option(names = "--latency-ms", defaultValue = "50", description = "Burst: simulator latency per request, ms.")
  int latencyMs;
  @Option(names = "--variants", defaultValue = "running,running-ratelimit,pending,pending-ratelimit", split = ",",
      description = "Burst variants: running / pending (applied before the operator starts), -ratelimit (the "
          + "provider's spec.rateLimit set to R, burst R).")
  List<String> variants;
  @Option(names = "--memory-keys", defaultValue = "10000", description = "Scale: Ready keys preloaded.")
  int memoryKeys;
  @Option(names = "--workloads", defaultValue = "2000",
      description = "Scale: Deployments and as many bare Pods consuming the keys' Secrets (0: skip).")
  int workloads;
  @Option(names = "--latency-keys", defaultValue = "200", description = "Latency: ApiKeys applied one by one.")
  int latencyKeys;
  @Option(names = "--startup-runs", defaultValue = "3", description = "Start-up: runs per JVM configuration.")
  int startupRuns;
  @Option(names = "--jvm-flags", description = "The operator's JVM flags (default: the chart's jvmOptions from "
      + "--helm-values, with -XX:MaxRAM set to the chart's memory limit, as in its container; '' = plain java -jar).")
  String jvmFlags;
  @Option(names = "--scenarios", defaultValue = "burst,scale,startup,latency", split = ",",
      description = "Which of burst,scale,startup,latency to run.")
  List<String> scenarios;
  @Option(names = "--out", defaultValue = "BENCHMARKS.md", description = "Markdown file to write the table into.")
  Path out;
  @Option(names = "--small", description = "Smoke form: at most 20 keys, 200 scale keys, 20 workloads, 20 latency "
      + "keys; 1 start-up run, 2 s idle.")
  boolean small;
  @Option(names = "--idle-seconds", defaultValue = "5",
      description = "The operator is idle once no reconcile started and no vendor call was made for this long.")
  int idleSeconds;
  @Option(names = "--operator-jar", defaultValue = "${sys:operator.jar:-operator/target/apikey-operator.jar}")
  Path operatorJar;
  @Option(names = "--crds-dir", defaultValue = "${sys:crds.dir:-crds}")
  Path crdsDir;
  @Option(names = "--helm-values", defaultValue = "${sys:helm.values:-helm/apikey-operator/values.yaml}")
  Path helmValues;
  @Option(names = "--work-dir", defaultValue = "${sys:bench.work.dir:-bench/target/bench-work}",
      description = "kubeconfigs and one log (and /metrics) per operator process.")
  Path workDir;

  private String[] rawArgs = new String[0];

  /** The table of the last run (for the smoke test). */
  static volatile String lastTable;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    Benchmark b = new Benchmark();
    b.rawArgs = args;
    return new CommandLine(b).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    if (small) {
      keys = Math.min(keys, 20);
      memoryKeys = Math.min(memoryKeys, 200);
      workloads = Math.min(workloads, 20);
      latencyKeys = Math.min(latencyKeys, 20);
      startupRuns = 1;
      idleSeconds = 2;
    }
    Set<String> run = new LinkedHashSet<>(scenarios);
    if (!operatorJar.toFile().isFile() && Path.of("..").resolve(operatorJar).toFile().isFile()) {
      operatorJar = Path.of("..").resolve(operatorJar); // run from bench/
      crdsDir = Path.of("..").resolve(crdsDir);
      helmValues = Path.of("..").resolve(helmValues);
    }
    Files.createDirectories(workDir);
    String flags = ImageArchive.inWorkDir(jvmFlags != null ? jvmFlags : chartFlags(helmValues), operatorJar, workDir);
    Bench bench = new Bench(operatorJar, crdsDir, workDir, split(flags), idleSeconds);
    Bench.log("operator jar %s, JVM flags [%s], scenarios %s, work dir %s", operatorJar, flags, run, workDir);
    if (run.contains("burst")) {
      // Each variant gets a mock of its own: the mock slows with every object it holds (BENCHMARKS.md, "How it works"), so
      // sharing one made each variant pay for the ones before it.
      for (BurstScenario.Variant v : BurstScenario.VARIANTS) {
        if (variants.contains(v.name())) {
          try (World w = new World(crdsDir, workDir, "burst-" + v.name())) {
            MockCapacity.measure(bench, w, "with an empty store, before burst " + v.name(), 1000, 10);
            attempt(bench, "Burst " + v.name(), () -> new BurstScenario(bench, w, keys, rate, latencyMs).run(v));
          }
        }
      }
    }
    if (run.contains("startup") || run.contains("latency")) {
      try (World w = new World(crdsDir, workDir, "small")) {
        MockCapacity.measure(bench, w, "with an empty store", 1000, 10);
        if (run.contains("startup")) {
          attempt(bench, "Start-up", () -> new StartupScenario(bench, w, startupRuns).run());
        }
        if (run.contains("latency")) {
          attempt(bench, "Latency", () -> new LatencyScenario(bench, w, latencyKeys).run());
        }
      }
    }
    if (run.contains("scale")) { // a mock of its own: the preloaded store would slow every other scenario
      try (World w = new World(crdsDir, workDir, "scale")) {
        MockCapacity.measure(bench, w, "with an empty store", 1000, 10);
        attempt(bench, "Scale", () -> new ScaleScenario(bench, w, memoryKeys, workloads).run());
      }
    }
    double minutes = Bench.secondsSince(started) / 60;
    String md = bench.report.render(command(), flags, minutes);
    lastTable = bench.report.table();
    System.out.println();
    System.out.println(lastTable);
    Report.writeInto(out, md);
    Bench.log("the whole run took %.1f min; written to %s", minutes, out.toAbsolutePath());
    return 0;
  }

  private interface ScenarioRun {
    void run() throws Exception;
  }

  /** Runs a scenario; a failure becomes a row (and the run goes on with the next scenario). */
  private static void attempt(Bench bench, String section, ScenarioRun scenario) {
    try {
      scenario.run();
    } catch (Exception e) {
      Bench.log("%s failed: %s", section, e);
      e.printStackTrace(System.out);
      bench.report.row(section, "the scenario failed (see the bench's output and the operator's log)",
          String.valueOf(e.getMessage()).replace('|', '/'), "completes", false);
    }
  }

  private static final Pattern JVM_OPTIONS = Pattern.compile("(?m)^jvmOptions:\\s*\"([^\"]*)\"");
  private static final Pattern MEMORY_LIMIT = Pattern.compile("(?m)^\\s*limits:\\s*\\n\\s*memory:\\s*(\\d+)Mi");

  /** The chart's jvmOptions, plus -XX:MaxRAM at the chart's memory limit (what the JVM sees in its container). */
  static String chartFlags(Path values) throws IOException {
    String text = Files.readString(values);
    Matcher jvm = JVM_OPTIONS.matcher(text);
    if (!jvm.find()) {
      throw new IllegalStateException("no jvmOptions in " + values);
    }
    Matcher limit = MEMORY_LIMIT.matcher(text);
    return jvm.group(1).trim() + (limit.find() ? " -XX:MaxRAM=" + limit.group(1) + "m" : "");
  }

  private static List<String> split(String flags) {
    return flags == null || flags.isBlank() ? List.of() : new ArrayList<>(List.of(flags.trim().split("\\s+")));
  }

  private String command() {
    StringBuilder b = new StringBuilder("java -jar bench/target/apikey-bench.jar");
    for (String a : rawArgs) {
      b.append(' ').append(a.contains(" ") ? "'" + a + "'" : a);
    }
    return b.toString();
  }
}
