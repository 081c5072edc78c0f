package dev.apikeyoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every manifest of this operator's kinds in a ```yaml block of docs/ and README.md is one the API server would accept (the CRDs'
 * schemas and CEL rules, as CelRulesTest checks them); every shell block says whether a test runs it.
 */
class DocsManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern FENCE = Pattern.compile("(?ms)^[ \\t]*```(\\w*)\\n(.*?)^[ \\t]*```");
  private static final Path DOCS = CrdFiles.repoRoot().resolve("docs");

  static List<Path> pages() throws IOException {
    try (Stream<Path> s = Files.walk(DOCS)) {
      return s.filter(p -> p.toString().endsWith(".md") && !p.toString().contains("node_modules")).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyManifestInTheDocsIsValid() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    List<Path> withReadme = new ArrayList<>(pages());
    withReadme.add(DOCS.resolveSibling("README.md"));
    for (Path page : withReadme) {
      Matcher m = FENCE.matcher(Files.readString(page));
      int block = 0;
      while (m.find()) {
        if (!m.group(1).equals("yaml")) {
          continue;
        }
        block++;
        for (Map<String, Object> doc : documents(m.group(2), page)) {
          if (!String.valueOf(doc.get("apiVersion")).startsWith("apikeyoperator.dev/")) {
            continue;
          }
          String name = DOCS.getParent().relativize(page) + " block " + block + ": " + doc.get("kind") + " "
              + ((Map<?, ?>) doc.getOrDefault("metadata", Map.of())).get("name");
          tests.add(DynamicTest.dynamicTest(name, () ->
              assertThat(CrdRules.forKind(String.valueOf(doc.get("kind"))).validate(doc)).as(name).isEmpty()));
        }
      }
    }
    assertThat(tests).as("manifests of the operator's kinds in docs/").hasSizeGreaterThanOrEqualTo(5);
    return tests.stream();
  }

  @Test
  void everyShellBlockSaysWhetherATestRunsIt() throws IOException {
    for (Path page : pages()) {
      Matcher m = FENCE.matcher(Files.readString(page));
      while (m.find()) {
        if (List.of("", "sh", "bash", "shell", "console").contains(m.group(1))) {
          assertThat(m.group(2)).as("a shell block of %s must say \"# not run by the tests\" (or \"run by CI\"):\n%s",
              DOCS.relativize(page), m.group(2)).containsAnyOf("not run by the tests", "run by CI");
        }
      }
    }
  }

  private static List<Map<String, Object>> documents(String block, Path page) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (MappingIterator<Object> it = YAML.readerFor(Object.class).readValues(block)) {
      while (it.hasNextValue()) {
        Object doc = it.nextValue();
        if (doc instanceof Map<?, ?> map) {
          docs.add(YAML.convertValue(map, new TypeReference<Map<String, Object>>() {}));
        }
      }
    }
    return docs;
  }
}
