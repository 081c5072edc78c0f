package dev.apikeyoperator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' {@code promtool} (Debian package {@code prometheus}). Not on the PATH: the calling test is skipped,
 * unless {@code REQUIRE_PROMTOOL=true} (system property or environment, as CI sets it), which makes it fail.
 */
final class Promtool {
  private Promtool() {
  }

  /** {@code promtool check metrics} on a scrape; returns what promtool printed, asserting it exited 0. */
  static String checkMetrics(String scrape) throws IOException, InterruptedException {
    String promtool = find();
    Process process = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
    try (var in = process.getOutputStream()) {
      in.write(scrape.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(process.exitValue()).as("promtool check metrics:\n%s", output).isZero();
    return output;
  }

  private static String find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      java.nio.file.Path candidate = java.nio.file.Path.of(dir, "promtool");
      if (java.nio.file.Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    String required = System.getProperty("REQUIRE_PROMTOOL", System.getenv("REQUIRE_PROMTOOL"));
    String missing = "promtool is not on the PATH (Debian: apt-get install prometheus)";
    if ("true".equalsIgnoreCase(required)) {
      throw new AssertionError(missing + ", and REQUIRE_PROMTOOL=true");
    }
    Assumptions.abort(missing + "; skipped (REQUIRE_PROMTOOL=true makes this a failure)");
    throw new IllegalStateException("unreachable");
  }
}
