package dev.apikeyoperator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.OperatorFactory;
import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.it.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
        dev.apikeyoperator.api.v1alpha1.ApiKey bad = OperatorHarness.serverSideKey("default", "bad");
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

  @Test
  void slowClientsNeitherStopTheProbesNorHoldAThreadForLong() throws Exception {
    KubernetesMockServer server = OperatorHarness.mockServer();
    server.init();
    List<Socket> slow = new ArrayList<>();
    try (KubernetesClient client = server.createClient()) {
      OperatorMetrics metrics = new OperatorMetrics();
      Operator operator = OperatorFactory.create(client, OperatorSettings.defaults(), metrics);
      try (OpsServer health = OpsServer.start(0, operator, metrics)) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI healthz = URI.create("http://127.0.0.1:" + health.port() + "/healthz");
        // Four half-sent requests, as any pod of the cluster could send: the probe is answered at once.
        slow.addAll(halfSent(health, 4));
        assertThat(http.send(HttpRequest.newBuilder(healthz).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        // More than the server has threads: answered once the server has cut the slow clients off
        // (sun.net.httpserver.maxReqTime, 5 s), never later.
        slow.addAll(halfSent(health, OpsServer.THREADS));
        assertThat(http.send(HttpRequest.newBuilder(healthz).timeout(Duration.ofSeconds(15)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        for (Socket s : slow) {
          s.setSoTimeout(10_000);
          assertThat(readToEnd(s)).as("the server closed the half-sent request").isTrue();
        }
      }
    } finally {
      for (Socket s : slow) {
        s.close();
      }
      server.destroy();
    }
  }

  private static List<Socket> halfSent(OpsServer health, int count) throws IOException {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Socket s = new Socket("127.0.0.1", health.port());
      s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: op\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      sockets.add(s);
    }
    return sockets;
  }

  /** Whether the server closed the connection (end of stream or reset) before the socket's read timeout. */
  private static boolean readToEnd(Socket s) throws IOException {
    try {
      while (s.getInputStream().read() >= 0) {
        // whatever the server answers (a 400, or nothing) until it closes
      }
      return true;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
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
