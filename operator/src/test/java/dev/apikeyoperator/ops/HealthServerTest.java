package dev.apikeyoperator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.OperatorFactory;
import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.it.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  @Test
  void readyOnlyOnceTheOperatorRuns() throws Exception {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      OperatorHarness.applyCrds(client);
      Operator operator = OperatorFactory.create(client, OperatorSettings.defaults());
      try (HealthServer health = HealthServer.start(0, operator)) {
        HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, health, "/healthz")).isEqualTo(200);
        assertThat(get(http, health, "/readyz")).isEqualTo(503);
        operator.start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(get(http, health, "/readyz")).isEqualTo(200));
        operator.stop();
      }
    } finally {
      server.destroy();
    }
  }

  private static int get(HttpClient http, HealthServer health, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
