package dev.apikeyoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code helm lint --strict} and the values schema. */
class ChartLintTest {

  @Test
  void lintStrictPasses() {
    LintResult result = new Helm(Chart.DIR).lint().strict().call();

    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void lintFailsWhenValuesYamlHasAnInvalidLogFormat(@TempDir Path tmp) throws IOException {
    Path copy = copyChart(tmp);
    Path values = copy.resolve("values.yaml");
    String original = Files.readString(values);
    assertThat(original).contains("\nlogFormat: text\n");
    Files.writeString(values, original.replace("\nlogFormat: text\n", "\nlogFormat: xml\n"));

    LintResult result = new Helm(copy).lint().strict().call();

    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("logFormat");
  }

  @Test
  void templateFailsOnAnInvalidLogFormat() {
    assertThatThrownBy(() -> Chart.template("logFormat: xml\n"))
        .hasMessageContaining("logFormat")
        .hasMessageContaining("text");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "replicas: two\n",
      "watchNamespaces: shop\n",
      "watchNamespaces: [Not_A_Namespace]\n",
      "leaderElection: {enabled: \"yes\"}\n",
      "metrics: {enabled: 1}\n",
      "extraEnv: [{value: x}]\n",
      "watchNamespace: [shop]\n",   // misspelt key: caught instead of silently ignored
      "image: {pullPolicy: Sometimes}\n",
      "prometheusRule: {enable: true}\n",
      "grafanaDashboard: {enabled: \"yes\"}\n",
      "grafanaDashboard: {namespace: Not_A_Namespace}\n",
  })
  void templateFailsOnValuesTheSchemaRejects(String values) {
    assertThatThrownBy(() -> Chart.template(values)).hasMessageContaining("values don't meet the specifications");
  }

  @Test
  void moreThanOneReplicaNeedsLeaderElection() {
    assertThatThrownBy(() -> Chart.template("replicas: 2\nleaderElection: {enabled: false}\n"))
        .hasMessageContaining("replicas > 1 needs leaderElection.enabled=true");
  }

  @Test
  void serviceMonitorNeedsMetrics() {
    assertThatThrownBy(() -> Chart.template("metrics: {enabled: false, serviceMonitor: {enabled: true}}\n"))
        .hasMessageContaining("metrics.serviceMonitor.enabled=true needs metrics.enabled=true");
  }

  private static Path copyChart(Path target) throws IOException {
    Path copy = target.resolve("apikey-operator");
    try (Stream<Path> files = Files.walk(Chart.DIR)) {
      for (Path source : files.toList()) {
        Path destination = copy.resolve(Chart.DIR.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(source, destination);
        }
      }
    }
    return copy;
  }
}
