package dev.apikeyoperator.helm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Prometheus' {@code promtool} (Debian package {@code prometheus}). When it is not on the PATH the calling
 * test is skipped, saying so, unless {@code REQUIRE_PROMTOOL=true} (system property or environment, as
 * {@code .ci/run} sets it): then it fails.
 */
final class Promtool {
  /** What promtool printed and how it exited. */
  record Result(int exitCode, String output) {}

  private Promtool() {
  }

  static Result run(Path workingDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Result(process.exitValue(), output);
  }

  private static String executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
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
