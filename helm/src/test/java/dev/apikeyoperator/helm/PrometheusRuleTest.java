package dev.apikeyoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule groups of the rendered PrometheusRule, as Prometheus would load them: {@code promtool check rules} and
 * the unit tests in {@code src/test/resources/promtool/alerts-test.yaml} ({@code promtool test rules}). The files
 * stay in {@code target/promtool/} to rerun promtool by hand.
 */
class PrometheusRuleTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));
  private static final Path DIR = Path.of("target", "promtool").toAbsolutePath();
  private static final String TESTS = "alerts-test.yaml";

  @BeforeAll
  static void writeRulesAndTests() throws IOException {
    Files.createDirectories(DIR);
    GenericKubernetesResource rule = MonitoringRenderTest.prometheusRule("prometheusRule: {enabled: true}\n");
    YAML.writeValue(DIR.resolve("rules.yaml").toFile(), rule.getAdditionalProperties().get("spec"));
    try (InputStream tests = PrometheusRuleTest.class.getResourceAsStream("/promtool/" + TESTS)) {
      Files.write(DIR.resolve(TESTS), tests.readAllBytes());
    }
  }

  @Test
  void promtoolCheckRulesAcceptsTheRenderedRules() throws Exception {
    Promtool.Result result = Promtool.run(DIR, "check", "rules", "rules.yaml");

    assertThat(result.exitCode()).as("promtool check rules:\n%s", result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + MonitoringRenderTest.ALERTS.size() + " rules found");
  }

  @Test
  void promtoolUnitTestsOfEveryAlertPass() throws Exception {
    Promtool.Result result = Promtool.run(DIR, "test", "rules", TESTS);

    assertThat(result.exitCode()).as("promtool test rules:\n%s", result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  /** Each alert has a test where it fires and one where it does not. */
  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws IOException {
    JsonNode tests = YAML.readTree(DIR.resolve(TESTS).toFile());
    Set<String> firing = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        (check.path("exp_alerts").isEmpty() ? silent : firing).add(check.path("alertname").asText());
      }
    }

    assertThat(firing).as("alerts tested firing").containsExactlyInAnyOrderElementsOf(MonitoringRenderTest.ALERTS);
    assertThat(silent).as("alerts tested not firing").containsExactlyInAnyOrderElementsOf(MonitoringRenderTest.ALERTS);
  }
}
