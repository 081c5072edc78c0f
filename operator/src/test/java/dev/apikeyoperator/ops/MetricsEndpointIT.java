package dev.apikeyoperator.ops;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.it.OperatorHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code /metrics} of a running operator that has done some work passes {@code promtool check metrics}. */
class MetricsEndpointIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness(OperatorSettings.defaults()
      .withVendorReadTimeout(Duration.ofSeconds(3)).withProviderRecheckInterval(Duration.ofSeconds(2)));

  @Test
  void metricsOfARunningOperatorPassPromtoolAndReportProviders() throws Exception {
    String ns = h.namespaceWithProvider();
    h.provider(ns, "broken", "no-such-secret");
    ApiKey key = serverSideKey(ns, "checkout");
    key.getSpec().rotation = new RotationSpec();
    key.getSpec().rotation.every = "720h";
    h.create(key);
    h.awaitReason(ns, "checkout", "KeyReady");
    h.client.resource(h.get(ns, "checkout")).delete();
    h.awaitGone(ns, "checkout");

    try (OpsServer server = OpsServer.start(0, h.operator(), h.metrics)) {
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape(http, uri))
          .contains("apikey_operator_providers{ready=\"true\",reason=\"CredentialsValid\"} 1.0")
          .contains("apikey_operator_providers{ready=\"false\",reason=\"SecretNotFound\"} 1.0"));
      String scrape = scrape(http, uri);
      assertThat(scrape)
          .contains("apikey_operator_vendor_requests_seconds_count{operation=\"POST /apiKeys\",status=\"201\"")
          .contains("apikey_operator_rotation_overdue_seconds 0.0")
          .containsPattern("apikey_operator_keys_revoked_total [1-9]")
          .contains("operator_sdk_reconciliations_started_total");

      Promtool.checkMetrics(scrape);

      h.client.resources(dev.apikeyoperator.api.v1alpha1.ApiKeyProvider.class).inNamespace(ns)
          .withName("broken").delete();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape(http, uri))
          .contains("apikey_operator_providers{ready=\"false\",reason=\"SecretNotFound\"} 0.0"));
    }
  }

  private static String scrape(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
