package dev.apikeyoperator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;

/** What every scenario of one run shares: the operator jar and its flags, the work directory, the report. */
final class Bench {
  final Path operatorJar;
  final Path crdsDir;
  final Path workDir;
  /** The operator's JVM flags: the chart's jvmOptions (and heap cap) unless given. */
  final List<String> flags;
  final int idleSeconds;
  final Report report = new Report();
  private int processes;

  Bench(Path operatorJar, Path crdsDir, Path workDir, List<String> flags, int idleSeconds) {
    this.operatorJar = operatorJar;
    this.crdsDir = crdsDir;
    this.workDir = workDir;
    this.flags = flags;
    this.idleSeconds = idleSeconds;
  }

  /** The operator jar as a process watching {@code ns} of {@code world}; its log is {@code operator-NN-label.log}. */
  OperatorProcess startOperator(World world, List<String> jvmFlags, String ns, String label) throws IOException {
    Path logFile = workDir.resolve(String.format("operator-%02d-%s.log", processes++, label));
    OperatorProcess op = OperatorProcess.start(operatorJar, jvmFlags, world, ns, logFile);
    Process p = op.process;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { // an interrupted benchmark leaves no operator behind
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }));
    log("operator %s started: pid %d, port %d, log %s", label, op.pid(), op.port, logFile.getFileName());
    return op;
  }

  OperatorProcess startOperator(World world, String ns, String label) throws IOException {
    return startOperator(world, flags, ns, label);
  }

  /** A fresh name for a namespace of the mock-capacity runs. */
  String nextName(String prefix) {
    return prefix + "-" + (processes++);
  }

  static void log(String format, Object... args) {
    System.out.println("[bench " + LocalTime.now().withNano(0) + "] " + String.format(Locale.ROOT, format, args));
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static String key(int i) {
    return String.format(Locale.ROOT, "k%05d", i);
  }

  static double secondsSince(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** CPU-seconds of the benchmark's own JVM (the mock API server and the simulator run in it). */
  static double ownCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }
}
