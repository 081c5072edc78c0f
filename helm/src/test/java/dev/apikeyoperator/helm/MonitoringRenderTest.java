package dev.apikeyoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code prometheusRule.enabled} and {@code grafanaDashboard.enabled}: what they render. */
class MonitoringRenderTest {
  static final List<String> ALERTS = List.of("ApiKeyRevocationFailing", "ApiKeyCreationIndeterminate",
      "ApiKeyRotationOverdue", "ApiKeyVendorErrors", "ApiKeyVendorRateLimited", "ApiKeyProviderNotReady");
  private static final Pattern METRIC = Pattern.compile("\\b(apikey_operator_[a-z_]+?)(?:_count|_sum)?\\b");

  @Test
  void neitherRuleNorDashboardByDefault() {
    Chart.Rendered rendered = Chart.render("");

    assertThat(rendered.ofKind("PrometheusRule")).isEmpty();
    assertThat(rendered.all(ConfigMap.class)).isEmpty();
  }

  @Test
  void prometheusRuleHasEveryAlertWithSeverityAndDescription() {
    GenericKubernetesResource rule = prometheusRule(
        "prometheusRule: {enabled: true, labels: {release: kps}, alertLabels: {team: platform}}\n");

    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getName()).isEqualTo("apikey-operator");
    assertThat(rule.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kps")
        .containsEntry("app.kubernetes.io/name", "apikey-operator");
    List<Map<String, Object>> alerts = alerts(rule);
    assertThat(alerts).extracting(a -> a.get("alert")).containsExactlyElementsOf(ALERTS);
    for (Map<String, Object> alert : alerts) {
      assertThat(alert.get("expr")).as("%s expr", alert.get("alert")).asString().contains("apikey_operator_");
      assertThat(alert.get("for")).as("%s for", alert.get("alert")).asString().matches("\\d+m");
      @SuppressWarnings("unchecked") Map<String, String> labels = (Map<String, String>) alert.get("labels");
      assertThat(labels).containsEntry("team", "platform").containsKey("severity");
      assertThat(labels.get("severity")).isIn("warning", "critical");
      @SuppressWarnings("unchecked") Map<String, String> annotations = (Map<String, String>) alert.get("annotations");
      assertThat(annotations.get("summary")).isNotBlank();
      assertThat(annotations.get("description")).isNotBlank();
    }
  }

  @Test
  void prometheusTemplatingSurvivesHelm() {
    Map<String, Object> vendorErrors = alerts(prometheusRule("prometheusRule: {enabled: true}\n")).stream()
        .filter(a -> a.get("alert").equals("ApiKeyVendorErrors")).findFirst().orElseThrow();

    @SuppressWarnings("unchecked") Map<String, String> annotations = (Map<String, String>) vendorErrors.get("annotations");
    assertThat(annotations.get("summary")).isEqualTo("{{ $labels.vendor }} Admin API calls are failing");
  }

  @Test
  void dashboardConfigMapCarriesTheSidecarLabelAndValidJson() throws IOException {
    ConfigMap dashboard = Chart.render("grafanaDashboard: {enabled: true, annotations: {grafana_folder: Ops}}\n")
        .one(ConfigMap.class);

    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Ops");
    assertThat(dashboard.getData()).containsOnlyKeys("apikey-operator.json");
    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("apikey-operator.json"));
    assertThat(json.path("uid").asText()).isEqualTo("apikey-operator");
    assertThat(json.path("panels")).isNotEmpty();
    for (JsonNode panel : json.path("panels")) {
      assertThat(panel.path("targets")).as("panel %s", panel.path("title")).isNotEmpty();
      panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
    }
  }

  @Test
  void dashboardLabelAndNamespaceAreConfigurable() {
    ConfigMap dashboard = Chart.render(
        "grafanaDashboard: {enabled: true, sidecarLabel: my_dashboards, sidecarLabelValue: \"yes\", "
            + "namespace: monitoring}\n").one(ConfigMap.class);

    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("my_dashboards", "yes")
        .doesNotContainKey("grafana_dashboard");
  }

  /** A user reading docs/reference/metrics.md finds every metric the alerts and the dashboard use. */
  @Test
  void everyMetricTheAlertsAndTheDashboardUseIsInTheMetricsReference() throws IOException {
    Chart.Rendered rendered = Chart.render("prometheusRule: {enabled: true}\ngrafanaDashboard: {enabled: true}\n");
    List<String> expressions = new ArrayList<>();
    alerts((GenericKubernetesResource) rendered.ofKind("PrometheusRule").get(0))
        .forEach(a -> expressions.add((String) a.get("expr")));
    expressions.add(rendered.one(ConfigMap.class).getData().get("apikey-operator.json"));
    Set<String> metrics = new TreeSet<>();
    for (String expression : expressions) {
      Matcher m = METRIC.matcher(expression);
      while (m.find()) {
        metrics.add(m.group(1));
      }
    }
    String reference = Files.readString(Chart.DIR.resolve("../../docs/reference/metrics.md"));

    assertThat(metrics).contains("apikey_operator_rotation_overdue_seconds", "apikey_operator_providers",
        "apikey_operator_vendor_requests_seconds");
    assertThat(metrics).allSatisfy(name -> assertThat(reference).as("docs/reference/metrics.md").contains("`" + name));
  }

  /** docs/reference/alerts.md shows each alert's real expression, duration and severity. */
  @Test
  void docsTableMatchesTheRenderedAlerts() throws IOException {
    List<String> rows = Files.readAllLines(Chart.DIR.resolve("../../docs/reference/alerts.md"));

    for (Map<String, Object> alert : alerts(prometheusRule("prometheusRule: {enabled: true}\n"))) {
      String name = (String) alert.get("alert");
      @SuppressWarnings("unchecked") Map<String, String> labels = (Map<String, String>) alert.get("labels");
      String row = rows.stream().filter(r -> r.startsWith("| `" + name + "` |")).findFirst()
          .orElseThrow(() -> new AssertionError("docs/reference/alerts.md has no row for " + name));
      String expected = "|`" + ((String) alert.get("expr")).replace("|", "\\|") + "`|" + alert.get("for") + "|"
          + labels.get("severity") + "|";
      assertThat(row.replaceAll("\\s", "")).as(name).contains(expected.replaceAll("\\s", ""));
    }
  }

  static GenericKubernetesResource prometheusRule(String values) {
    List<HasMetadata> rules = Chart.render(values).ofKind("PrometheusRule");
    assertThat(rules).hasSize(1);
    return (GenericKubernetesResource) rules.get(0);
  }

  static List<Map<String, Object>> alerts(GenericKubernetesResource rule) {
    List<Map<String, Object>> groups = rule.get("spec", "groups");
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Map<String, Object> group : groups) {
      @SuppressWarnings("unchecked") List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
      alerts.addAll(rules);
    }
    return alerts;
  }
}
