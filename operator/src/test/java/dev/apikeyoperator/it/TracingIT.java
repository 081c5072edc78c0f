package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.apikeyoperator.ops.Tracing;
import dev.apikeyoperator.simulator.SimKey;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traces (docs/reference/metrics.md): with an OTLP endpoint set, one span per reconcile and one per vendor call (vendor,
 * operation, status code, outcome), received here on a loopback OTLP/HTTP endpoint; no key value and no credential
 * in any attribute or anywhere in what is exported.
 */
class TracingIT {
  private static final List<byte[]> EXPORTS = new CopyOnWriteArrayList<>();
  private static final HttpServer COLLECTOR = collector();
  private static final Tracing TRACING =
      Tracing.otlp("http://127.0.0.1:" + COLLECTOR.getAddress().getPort(), Duration.ofMillis(200));

  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness().withTracing(TRACING);

  private static HttpServer collector() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/v1/traces", ex -> {
        EXPORTS.add(ex.getRequestBody().readAllBytes());
        ex.sendResponseHeaders(200, -1);
        ex.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() {
    TRACING.close();
    COLLECTOR.stop(0);
  }

  private static List<Span> spans() {
    return EXPORTS.stream().map(bytes -> {
      try {
        return ExportTraceServiceRequest.parseFrom(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).flatMap(r -> r.getResourceSpansList().stream()).flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream()).toList();
  }

  private static Map<String, String> attributes(Span span) {
    return span.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, kv ->
        kv.getValue().hasIntValue() ? Long.toString(kv.getValue().getIntValue()) : kv.getValue().getStringValue()));
  }

  @Test
  void reconcilesAndVendorCallsAreSpansWithoutSecrets() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "traced"));
    h.awaitReason(ns, "traced", "KeyReady");
    TRACING.flush();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      List<Span> spans = spans();
      List<Span> reconciles = spans.stream().filter(s -> s.getName().equals("reconcile apikey reconcile")
          && ns.equals(attributes(s).get("k8s.namespace.name")) && "traced".equals(attributes(s).get("apikey.name")))
          .toList();
      assertThat(reconciles).isNotEmpty();
      Span create = spans.stream().filter(s -> s.getName().equals("fme POST /apiKeys")).findFirst().orElseThrow();
      assertThat(attributes(create)).containsEntry("vendor", "fme").containsEntry("vendor.operation", "POST /apiKeys")
          .containsEntry("http.response.status_code", "201").containsEntry("outcome", "ok");
      assertThat(reconciles).anySatisfy(r -> assertThat(create.getParentSpanId()).isEqualTo(r.getSpanId()));
      assertThat(spans).anySatisfy(s -> assertThat(s.getName()).isEqualTo("reconcile apikeyprovider reconcile"));
    });

    List<String> secrets = new java.util.ArrayList<>(h.simulator.keys().stream().map(SimKey::key).toList());
    secrets.add(h.simulator.adminToken());
    for (byte[] export : EXPORTS) {
      String raw = new String(export, StandardCharsets.ISO_8859_1);
      for (String secret : secrets) {
        assertThat(raw).doesNotContain(secret);
      }
    }
  }

  @Test
  void offWhenNoEndpointIsSet() {
    Tracing off = Tracing.fromEnvironment(Map.of());
    assertThat(off.enabled()).isFalse();
    var josdk = io.javaoperatorsdk.operator.api.monitoring.Metrics.NOOP;
    assertThat(off.around(josdk)).isSameAs(josdk);
    assertThat(Tracing.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")).enabled())
        .isTrue();
  }
}
