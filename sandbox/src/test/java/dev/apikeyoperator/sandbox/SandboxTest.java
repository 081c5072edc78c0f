package dev.apikeyoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs the sandbox's whole flow in-process against the repository's examples: CI proves the sandbox works. */
class SandboxTest {
  private static final Path EXAMPLES = Path.of(System.getProperty("sandbox.examples.dir", "../examples"));

  @Test
  void theExamplesComeUpAndEveryCheckPasses() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    int code = Sandbox.run(out, "--examples", EXAMPLES.toString());
    String output = buffer.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertEquals(0, code, "sandbox exit code; output:\n" + output);
    assertTrue(output.contains("checks passed"), output);
    // Both vendors are exercised: the Statsig example comes up, and its in-place update is shown.
    assertTrue(output.matches("(?s).*shop/checkout-statsig +statsig +SERVER +True +True +KeyReady .*"), output);
    assertTrue(output.contains("In-place update of a Statsig key"), output);
    // docs/guides/consumers.md: the Deployment of examples/pod-using-secret.yaml is listed as the checkout key's consumer.
    assertTrue(output.matches("(?s).*shop/checkout +checkout +Deployment checkout\\s.*"), output);
    assertTrue(output.matches("(?s).*shop/payments +payments +Deployment payments\\s.*"), output);
    assertTrue(output.contains("[ok]   no Statsig key was created"), output);
  }

  @Test
  void aMissingExamplesDirectoryFailsWithAClearMessage(@org.junit.jupiter.api.io.TempDir Path tmp) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    Path missing = tmp.resolve("no-such-dir");
    int code = Sandbox.run(out, "--examples", missing.toString());
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, output);
    assertTrue(output.contains("does not exist") && output.contains("--examples"), output);
    assertTrue(Files.notExists(missing));
  }
}
