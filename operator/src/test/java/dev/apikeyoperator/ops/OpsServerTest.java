package dev.apikeyoperator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.OperatorFactory;
import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.it.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  @Test
  void readyOnlyOnceTheOperatorRuns() throws Exception {
    KubernetesMockServer server = OperatorHarness.mockServer();
    server.init();
    try (KubernetesClient client = server.createClient()) {
      OperatorHarness.applyCrds(client);
      OperatorMetrics metrics = new OperatorMetrics();
      Operator operator = OperatorFactory.create(client, OperatorSettings.defaults(), metrics);
      try (OpsServer health = OpsServer.start(0, operator, metrics)) {
        HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, health, "/healthz")).isEqualTo(200);
        assertThat(get(http, health, "/readyz")).isEqualTo(503);
        operator.start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(get(http, health, "/readyz")).isEqualTo(200));
        // One ApiKey with an invalid spec: a reconcile that needs no vendor.
        dev.apikeyoperator.customresource.ApiKey bad = OperatorHarness.serverSideKey("default", "bad");
        bad.getSpec().fme.project = null;
        client.resource(bad).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(body(http, health, "/metrics"))
            .contains("apikey_operator_apikeys{reason=\"InvalidSpec\"} 1.0"));
        String scrape = body(http, health, "/metrics");
        assertThat(scrape).contains("apikey_operator_apikeys{reason=\"KeyReady\"}")
            .contains("apikey_operator_creation_indeterminate").contains("apikey_operator_keys_minted_total")
            .contains("operator_sdk_reconciliations_started_total");
        operator.stop();
      }
    } finally {
      server.destroy();
    }
  }

  private static String body(HttpClient http, OpsServer health, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static int get(HttpClient http, OpsServer health, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
