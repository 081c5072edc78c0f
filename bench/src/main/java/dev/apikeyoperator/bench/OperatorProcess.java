package dev.apikeyoperator.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The operator jar as a child process (its memory and CPU are its own), with its /metrics, /proc and jcmd. */
final class OperatorProcess implements AutoCloseable {
  /** The operator's own namespace (OPERATOR_NAMESPACE): where it keeps its ledger seal key. */
  static final String NAMESPACE = "apikey-operator";
  private static final long CLK_TCK = 100; // USER_HZ: 100 on every Linux we run on (getconf CLK_TCK)

  final Process process;
  final int port;
  final long spawnedNanos;
  final Path log;

  private OperatorProcess(Process process, int port, long spawnedNanos, Path log) {
    this.process = process;
    this.port = port;
    this.spawnedNanos = spawnedNanos;
    this.log = log;
  }

  static OperatorProcess start(Path jar, List<String> jvmFlags, World world, String namespaces, Path log)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("operator jar not found at " + jar.toAbsolutePath()
          + ": build it first (mvn -q -B install -DskipTests)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-jar");
    cmd.add(jar.toAbsolutePath().toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("KUBECONFIG", world.kubeconfig.toAbsolutePath().toString());
    pb.environment().put("WATCH_NAMESPACES", namespaces);
    pb.environment().put("HTTP_PORT", Integer.toString(port));
    pb.environment().put("LEADER_ELECTION", "false");
    pb.environment().put("OPERATOR_NAMESPACE", NAMESPACE);
    long t = System.nanoTime();
    Process p = pb.start();
    return new OperatorProcess(p, port, t, log);
  }

  long pid() {
    return process.pid();
  }

  /** GET on the ops port; null when not (yet) answering. */
  String get(String path, int timeoutMs) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
          .openConnection();
      c.setConnectTimeout(timeoutMs);
      c.setReadTimeout(Math.max(timeoutMs, 2000));
      if (c.getResponseCode() != 200) {
        return null;
      }
      try (InputStream in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException notYet) {
      return null;
    }
  }

  void awaitReady(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
      }
      if (get("/readyz", 200) != null) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the operator was not ready within " + max + "; see " + log);
  }

  String metrics() {
    return get("/metrics", 1000);
  }

  /** Sum of every sample of {@code name} whose label set matches {@code labels}; 0 when absent or no answer. */
  static double sum(String metrics, String name, Predicate<String> labels) {
    if (metrics == null) {
      return 0;
    }
    double total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      String rest = line.substring(name.length());
      String lbl = "";
      if (rest.startsWith("{")) {
        int end = rest.indexOf('}');
        lbl = rest.substring(1, end);
        rest = rest.substring(end + 1);
      } else if (!rest.startsWith(" ")) {
        continue; // another metric sharing the prefix
      }
      if (labels.test(lbl)) {
        try {
          total += Double.parseDouble(rest.trim().split(" ")[0]);
        } catch (NumberFormatException ignored) {
          // NaN or garbage: skip
        }
      }
    }
    return total;
  }

  static double reconciles(String metrics) {
    return sum(metrics, "operator_sdk_reconciliations_started_total", l -> true);
  }

  /** Reconciles of ApiKeys alone (not of providers). */
  static double apiKeyReconciles(String metrics) {
    return sum(metrics, "operator_sdk_reconciliations_started_total", l -> l.contains("kind=\"ApiKey\""));
  }

  /**
   * Waits until no reconcile started and no vendor call was made for {@code quiet} (at least one reconcile first);
   * returns the nanoTime of the last change seen (the end of the work), or -1 when it was still busy at {@code max}.
   * Throws when the process exits.
   */
  long awaitIdle(World world, Duration quiet, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    double last = -1;
    int vendorLast = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
      }
      double r = reconciles(metrics());
      int v = world.simulator.requestCounts().values().stream().mapToInt(Integer::intValue).sum();
      if (r != last || v != vendorLast) {
        last = r;
        vendorLast = v;
        lastChange = System.nanoTime();
      } else if (r > 0 && System.nanoTime() - lastChange >= quiet.toNanos()) {
        return lastChange;
      }
      Thread.sleep(200);
    }
    Bench.log("the operator was still busy after %s; see %s", max, log);
    return -1;
  }

  /** utime + stime of the process, seconds. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLK_TCK;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** VmRSS in MiB. */
  double rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      // gone
    }
    return Double.NaN;
  }

  String jcmd(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(pid()));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  private static final Pattern GEN_USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");
  private static final Pattern META_USED = Pattern.compile("Metaspace\\s+used (\\d+)K");

  /** Heap used (all generations) in MiB from GC.heap_info, after a full GC; [heap, metaspace]. */
  double[] heapAfterFullGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    double heapK = 0;
    Matcher m = GEN_USED.matcher(info);
    boolean any = false;
    while (m.find()) {
      heapK += Long.parseLong(m.group(1));
      any = true;
    }
    if (!any) { // another collector: "garbage-first heap   total 123K, used 45K"
      Matcher g = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(info);
      if (g.find()) {
        heapK = Long.parseLong(g.group(1));
      }
    }
    Matcher meta = META_USED.matcher(info);
    double metaK = meta.find() ? Long.parseLong(meta.group(1)) : Double.NaN;
    return new double[] {heapK / 1024.0, metaK / 1024.0};
  }

  /** SIGTERM and wait (a clean JVM shutdown, so -XX:ArchiveClassesAtExit gets to write its archive). */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      String m = metrics(); // kept beside the log, as evidence
      if (m != null) {
        try {
          Files.writeString(Path.of(log.toString().replaceAll("\\.log$", "") + ".metrics.txt"), m);
        } catch (IOException ignored) {
          // evidence only
        }
      }
      stop();
    }
  }
}
