package dev.apikeyoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The release's chart: {@code helm package} into helm/target (the artifact a release pushes to an OCI registry), and
 * what a platform team checks before installing it: {@code helm lint --strict} on the package, the values schema and
 * CRDs inside it, Artifact Hub's annotations (links, images, CRDs with examples, changes) and a CHANGELOG entry.
 */
class ChartPackageTest {
  private static final ObjectMapper YAML = new YAMLMapper();
  static final Path TARGET = Path.of("target").toAbsolutePath();
  private static JsonNode chart;
  private static Path packaged;

  @BeforeAll
  static void packageChart() throws IOException {
    chart = YAML.readTree(Chart.DIR.resolve("Chart.yaml").toFile());
    Files.createDirectories(TARGET);
    new Helm(Chart.DIR).packageIt().withDestination(TARGET).call();
    packaged = TARGET.resolve("apikey-operator-" + chart.path("version").asText() + ".tgz");
  }

  @Test
  void packageLintsStrictly() {
    assertThat(packaged).exists();
    LintResult result = new Helm(packaged).lint().strict().call();

    assertThat(result.isFailed()).as("helm lint --strict %s: %s", packaged, result.getMessages()).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void packageHoldsTheValuesSchemaAndTheCrds() throws IOException {
    List<String> entries = entries(packaged);

    assertThat(entries).contains("apikey-operator/Chart.yaml", "apikey-operator/values.yaml",
        "apikey-operator/values.schema.json", "apikey-operator/crds/apikeys.apikeyoperator.dev-v1.yml",
        "apikey-operator/crds/apikeyproviders.apikeyoperator.dev-v1.yml",
        "apikey-operator/crds/clusterapikeyproviders.apikeyoperator.dev-v1.yml");
  }

  @Test
  void artifactHubAnnotationsDescribeTheCrdsImagesLinksAndChanges() throws IOException {
    JsonNode annotations = chart.path("annotations");
    JsonNode crds = YAML.readTree(annotations.path("artifacthub.io/crds").asText());
    JsonNode examples = YAML.readTree(annotations.path("artifacthub.io/crdsExamples").asText());
    JsonNode images = YAML.readTree(annotations.path("artifacthub.io/images").asText());
    JsonNode links = YAML.readTree(annotations.path("artifacthub.io/links").asText());
    JsonNode changes = YAML.readTree(annotations.path("artifacthub.io/changes").asText());

    Set<String> chartCrds = new HashSet<>();
    try (Stream<Path> files = Files.list(Chart.DIR.resolve("crds"))) {
      for (Path f : files.toList()) {
        JsonNode crd = YAML.readTree(f.toFile());
        chartCrds.add(crd.path("spec").path("names").path("kind").asText() + "/" + crd.path("metadata").path("name").asText());
      }
    }
    Set<String> annotated = new HashSet<>();
    crds.forEach(c -> annotated.add(c.path("kind").asText() + "/" + c.path("name").asText()));
    assertThat(annotated).as("artifacthub.io/crds names the chart's CRDs").isEqualTo(chartCrds);
    Set<String> exampleKinds = new HashSet<>();
    examples.forEach(e -> {
      assertThat(e.path("apiVersion").asText()).isEqualTo("apikeyoperator.dev/v1alpha1");
      exampleKinds.add(e.path("kind").asText());
    });
    Set<String> kinds = new HashSet<>();
    crds.forEach(c -> kinds.add(c.path("kind").asText()));
    assertThat(exampleKinds).as("an example per CRD").isEqualTo(kinds);

    assertThat(images).isNotEmpty().allSatisfy(i -> {
      assertThat(i.path("image").asText()).isEqualTo(
          YAML.readTree(Chart.DIR.resolve("values.yaml").toFile()).path("image").path("repository").asText()
              + ":" + chart.path("appVersion").asText());
      assertThat(i.path("platforms").toString()).contains("linux/amd64", "linux/arm64");
    });
    assertThat(links).isNotEmpty().allSatisfy(l -> assertThat(l.path("url").asText()).startsWith("https://"));
    assertThat(changes).isNotEmpty().allSatisfy(c -> {
      assertThat(c.path("kind").asText()).isIn("added", "changed", "deprecated", "removed", "fixed", "security");
      assertThat(c.path("description").asText()).isNotBlank();
    });
  }

  @Test
  void changelogHasAnEntryForTheChartsVersion() throws IOException {
    String changelog = Files.readString(Chart.DIR.resolve("../../CHANGELOG.md").normalize());

    assertThat(changelog).contains("## [Unreleased]", "## [" + chart.path("appVersion").asText() + "] - ")
        .contains("keepachangelog.com");
  }

  /** The file names inside a .tgz (tar in gzip). */
  static List<String> entries(Path tgz) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz))) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512) {
        String name = new String(header, 0, 100, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "");
        if (name.isEmpty()) {
          break;
        }
        String prefix = new String(header, 345, 155, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "");
        long size = Long.parseLong(new String(header, 124, 12, java.nio.charset.StandardCharsets.US_ASCII)
            .replace("\0", "").trim(), 8);
        names.add(prefix.isEmpty() ? name : prefix + "/" + name);
        in.skipNBytes((size + 511) / 512 * 512);
      }
    }
    return names;
  }
}
