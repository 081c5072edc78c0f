package dev.apikeyoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: what the API server would accept or refuse on create, from the generated CRDs'
 * schemas and CEL rules. manifests/valid/*.yaml must pass; each manifests/invalid/*.yaml starts with
 * "# expect: ..." lines, and must fail with exactly those failures (each failure contains one of the
 * expected substrings, each expected substring is found in a failure).
 */
class CelRulesTest {
  static final Set<String> KINDS = Set.of("ApiKey", "ApiKeyProvider", "ClusterApiKeyProvider");
  static Map<String, CrdRules> rules;

  @BeforeAll
  static void loadCrds() {
    rules = Map.of(
        "ApiKey", CrdRules.forKind("ApiKey"),
        "ApiKeyProvider", CrdRules.forKind("ApiKeyProvider"),
        "ClusterApiKeyProvider", CrdRules.forKind("ClusterApiKeyProvider"));
  }

  static List<String> validate(Map<String, Object> manifest) {
    CrdRules r = rules.get(String.valueOf(manifest.get("kind")));
    if (r == null) {
      throw new IllegalArgumentException("no CRD for kind " + manifest.get("kind"));
    }
    return r.validate(manifest);
  }

  static Stream<Arguments> valid() {
    return Manifests.yamlFiles(Manifests.resourceDir("manifests/valid")).stream()
        .map(p -> Arguments.of(p.getFileName().toString(), p));
  }

  static Stream<Arguments> invalid() {
    return Manifests.yamlFiles(Manifests.resourceDir("manifests/invalid")).stream()
        .map(p -> Arguments.of(p.getFileName().toString(), p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validManifestIsAccepted(String name, Path file) {
    assertThat(Manifests.expectations(file)).as("%s is valid: it must not carry # expect lines", name).isEmpty();
    assertThat(validate(Manifests.single(file))).as("failures for valid manifest %s", name).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidManifestIsRefusedWithTheExpectedMessage(String name, Path file) {
    List<String> expected = Manifests.expectations(file);
    assertThat(expected).as("%s must start with a '%s <substring>' line", name, Manifests.EXPECT).isNotEmpty();
    List<String> failures = validate(Manifests.single(file));
    assertThat(failures).as("%s must be refused", name).isNotEmpty();
    for (String e : expected) {
      assertThat(failures).as("%s: a failure containing \"%s\"", name, e).anySatisfy(f -> assertThat(f).contains(e));
    }
    for (String f : failures) {
      assertThat(expected).as("%s: unexpected failure \"%s\" (add a # expect line or fix the manifest)", name, f)
          .anySatisfy(e -> assertThat(f).contains(e));
    }
  }

  @Test
  void tableMakesEveryRuleOfEveryCrdFire() {
    // each CEL rule must fail, at its own node, for at least one manifest under manifests/invalid
    Set<String> fired = new java.util.HashSet<>();
    for (Path p : Manifests.yamlFiles(Manifests.resourceDir("manifests/invalid"))) {
      Map<String, Object> m = Manifests.single(p);
      for (String f : validate(m)) {
        fired.add(m.get("kind") + " " + f.replaceAll("\\[\\d+\\]", "[]"));
      }
    }
    List<String> neverFired = new ArrayList<>();
    for (CrdRules r : rules.values()) {
      r.crd().getSpec().getVersions().forEach(v -> RuleWalk.rules(v.getSchema().getOpenAPIV3Schema(), "", (path, rule) -> {
        String key = r.kind() + " " + path + ": " + rule.getMessage();
        if (!fired.contains(key)) {
          neverFired.add(key);
        }
      }));
    }
    assertThat(neverFired).as("CEL rules that no manifest under manifests/invalid makes fail").isEmpty();
  }

  /** Every ApiKey / ApiKeyProvider / ClusterApiKeyProvider in the repository's examples/ is accepted. */
  @TestFactory
  Stream<DynamicTest> examplesAreAccepted() {
    Path examples = CrdFiles.repoRoot().resolve("examples");
    Assumptions.assumeTrue(Files.isDirectory(examples), "no examples/ directory yet");
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : Manifests.yamlFiles(examples)) {
      List<Map<String, Object>> docs = Manifests.documents(file);
      for (int i = 0; i < docs.size(); i++) {
        Map<String, Object> doc = docs.get(i);
        if (!KINDS.contains(String.valueOf(doc.get("kind")))) {
          continue;
        }
        String name = examples.relativize(file) + " #" + (i + 1) + " " + doc.get("kind");
        tests.add(DynamicTest.dynamicTest(name, () -> assertThat(validate(doc)).as("failures for examples/%s", name).isEmpty()));
      }
    }
    Assumptions.assumeFalse(tests.isEmpty(), "examples/ holds no ApiKey, ApiKeyProvider or ClusterApiKeyProvider");
    return tests.stream();
  }
}
