package dev.apikeyoperator.ops;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Trace spans (docs/reference/metrics.md): one per reconcile and one per vendor call, exported over OTLP/HTTP when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set; off, and free, when it is not (a no-op tracer: nothing recorded, no
 * thread, no connection). Attributes name kinds, namespaces, ApiKey names, vendors, operations (paths with ids
 * replaced), status codes and reasons: never a key value, a credential or a vendor's answer.
 */
public final class Tracing implements AutoCloseable {
  static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("k8s.namespace.name");
  static final AttributeKey<String> NAME = AttributeKey.stringKey("apikey.name");
  static final AttributeKey<String> KIND = AttributeKey.stringKey("apikey.kind");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("apikey.reason");
  static final AttributeKey<String> VENDOR = AttributeKey.stringKey("vendor");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("vendor.operation");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

  private static final Tracing OFF = new Tracing(OpenTelemetry.noop(), null);

  private final Tracer tracer;
  private final OpenTelemetrySdk sdk;

  private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk) {
    this.tracer = openTelemetry.getTracer("apikey-operator");
    this.sdk = sdk;
  }

  /** No spans. */
  public static Tracing off() {
    return OFF;
  }

  /** Spans exported to {@code OTEL_EXPORTER_OTLP_ENDPOINT} when the environment sets it, else {@link #off()}. */
  public static Tracing fromEnvironment(Map<String, String> env) {
    String endpoint = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
    return endpoint == null || endpoint.isBlank() ? off() : otlp(endpoint.strip(), Duration.ofSeconds(5));
  }

  /** Spans exported over OTLP/HTTP to {@code endpoint} (its {@code /v1/traces}), in batches every {@code delay}. */
  public static Tracing otlp(String endpoint, Duration delay) {
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces")
        .setTimeout(Duration.ofSeconds(10)).build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), "apikey-operator"))))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(delay).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    return new Tracing(sdk, sdk);
  }

  public boolean enabled() {
    return sdk != null;
  }

  /** Runs one reconcile of {@code kind} {@code namespace/name} in a span; {@code reason} names how it ended. */
  public <T> T reconcile(String kind, String namespace, String name, Supplier<T> work,
      java.util.function.Function<T, String> reason) {
    if (!enabled()) {
      return work.get();
    }
    Span span = tracer.spanBuilder("reconcile " + kind).setSpanKind(SpanKind.INTERNAL)
        .setAttribute(KIND, kind).setAttribute(NAMESPACE, namespace == null ? "" : namespace)
        .setAttribute(NAME, name).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      T result = work.get();
      String r = reason.apply(result);
      if (r != null) {
        span.setAttribute(REASON, r);
      }
      return result;
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  /** A vendor call's span, child of the current reconcile's; the caller ends it with {@link VendorSpan#end}. */
  VendorSpan vendorCall(String vendor, String operation) {
    if (!enabled()) {
      return VendorSpan.NONE;
    }
    Span span = tracer.spanBuilder(vendor + " " + operation).setSpanKind(SpanKind.CLIENT)
        .setAttribute(VENDOR, vendor).setAttribute(OPERATION, operation).startSpan();
    return new VendorSpan(span);
  }

  /** The span of one vendor call. */
  static final class VendorSpan {
    static final VendorSpan NONE = new VendorSpan(null);
    private final Span span;

    private VendorSpan(Span span) {
      this.span = span;
    }

    void end(int status, String outcome) {
      if (span == null) {
        return;
      }
      if (status > 0) {
        span.setAttribute(STATUS, (long) status);
      }
      span.setAttribute(OUTCOME, outcome);
      if (!"ok".equals(outcome)) {
        span.setStatus(StatusCode.ERROR, outcome);
      }
      span.end();
    }
  }

  /** JOSDK's metrics with a span around every reconcile (the same metrics when tracing is off). */
  public io.javaoperatorsdk.operator.api.monitoring.Metrics around(
      io.javaoperatorsdk.operator.api.monitoring.Metrics josdk) {
    return enabled() ? new TracingMetrics(this, josdk) : josdk;
  }

  /** Sends what is still buffered. */
  public void flush() {
    if (sdk != null) {
      sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    if (sdk != null) {
      sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
