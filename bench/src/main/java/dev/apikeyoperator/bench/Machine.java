package dev.apikeyoperator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What the benchmark ran on: CPUs, memory, CPU model, kernel, the operator's java -version. */
final class Machine {
  private Machine() {}

  static String describe() {
    return String.format(Locale.ROOT, "%d CPUs (nproc) %s, %s memory, %s; operator JVM: %s",
        Runtime.getRuntime().availableProcessors(), cpuModel(), memTotal(), kernel(), javaVersion());
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return "(" + l.substring(l.indexOf(':') + 1).trim() + ")";
        }
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return "";
  }

  private static String memTotal() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return "? GiB";
  }

  private static String kernel() {
    return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
  }

  private static String javaVersion() {
    try {
      Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-version")).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return "`" + String.join(" / ", out.strip().split("\\R")) + "`";
    } catch (IOException | InterruptedException e) {
      return System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
    }
  }
}
