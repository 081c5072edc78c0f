package dev.apikeyoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The CRDs committed under crds/ (what users and the Helm chart apply) must be exactly what the
 * API classes (api/v1alpha1) generate.
 */
class CrdDriftTest {

  @Test
  void crdsAreGenerated() {
    assertThat(CrdFiles.generatedFiles())
        .as("crd-generator-maven-plugin wrote no CRD into %s (did process-classes run?)", CrdFiles.generatedDir())
        .isNotEmpty();
  }

  @TestFactory
  List<DynamicTest> everyGeneratedCrdIsCommittedUnchanged() {
    return CrdFiles.generatedFiles().stream()
        .map(gen -> DynamicTest.dynamicTest(gen.getFileName().toString(), () -> assertCommittedCopy(gen)))
        .collect(Collectors.toList());
  }

  @Test
  void crdsHoldsNoCrdThatIsNoLongerGenerated() {
    Set<String> generated = CrdFiles.generatedFiles().stream()
        .map(p -> p.getFileName().toString())
        .collect(Collectors.toSet());
    List<String> stale = CrdFiles.yamlFiles(CrdFiles.committedDir()).stream()
        .map(p -> p.getFileName().toString())
        .filter(name -> !generated.contains(name))
        .collect(Collectors.toList());
    if (!stale.isEmpty()) {
      fail("crds/ holds CRD file(s) that the API classes (api/v1alpha1) no longer generate: " + stale
          + "\nDelete them from " + CrdFiles.committedDir() + " (git rm), then run: " + CrdFiles.REFRESH_COMMAND);
    }
  }

  static void assertCommittedCopy(Path generated) throws IOException {
    String name = generated.getFileName().toString();
    Path committed = CrdFiles.committedDir().resolve(name);
    if (!Files.isRegularFile(committed)) {
      fail("crds/" + name + " is missing: the API classes (api/v1alpha1) generate it but it is not committed."
          + "\nRun: " + CrdFiles.REFRESH_COMMAND + "  and commit crds/" + name);
    }
    byte[] want = Files.readAllBytes(generated);
    byte[] have = Files.readAllBytes(committed);
    if (!Arrays.equals(want, have)) {
      fail("crds/" + name + " differs from the CRD generated from the API classes (api/v1alpha1) ("
          + firstDifference(want, have) + ")."
          + "\nRun: " + CrdFiles.REFRESH_COMMAND + "  and commit crds/" + name);
    }
  }

  /** Where two texts first differ, as a line number and both lines, so the message is actionable. */
  static String firstDifference(byte[] want, byte[] have) {
    String[] a = new String(want, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
    String[] b = new String(have, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "<end of file>";
      String y = i < b.length ? b[i] : "<end of file>";
      if (!x.equals(y)) {
        return "first difference at line " + (i + 1) + ": generated `" + x.strip() + "`, committed `" + y.strip() + "`";
      }
    }
    return "same lines, different bytes (line endings or encoding)";
  }
}
