package dev.apikeyoperator.ops;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Times every vendor call. The operation is the method and the path with ids (and key values, which the FME
 * delete endpoint may take) replaced by placeholders, so no secret and no unbounded value reaches a label.
 */
public final class VendorMetricsInterceptor implements Interceptor {
  private final OperatorMetrics metrics;
  private final String vendor;
  private final Tracing tracing;

  public VendorMetricsInterceptor(OperatorMetrics metrics, String vendor) {
    this(metrics, vendor, Tracing.off());
  }

  /** Also a trace span per call (vendor, operation, status code, outcome) when {@code tracing} is on. */
  public VendorMetricsInterceptor(OperatorMetrics metrics, String vendor, Tracing tracing) {
    this.metrics = metrics;
    this.vendor = vendor;
    this.tracing = tracing;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    String operation = request.method() + " " + template(request.url().pathSegments());
    Tracing.VendorSpan span = tracing.vendorCall(vendor, operation);
    long start = System.nanoTime();
    try {
      Response response = chain.proceed(request);
      metrics.vendorRequest(vendor, operation, Integer.toString(response.code()),
          Duration.ofNanos(System.nanoTime() - start));
      span.end(response.code(), outcome(response.code()));
      return response;
    } catch (IOException e) {
      metrics.vendorRequest(vendor, operation, "io_error", Duration.ofNanos(System.nanoTime() - start));
      span.end(0, "io_error");
      throw e;
    }
  }

  static String outcome(int status) {
    if (status >= 200 && status < 300) {
      return "ok";
    }
    if (status == 429) {
      return "rate_limited";
    }
    return status >= 500 ? "vendor_error" : "refused";
  }

  /** ".../apiKeys/{id}", ".../environments/ws/{id}", ".../workspaces": the last known resource and a placeholder. */
  static String template(List<String> segments) {
    for (int i = segments.size() - 1; i >= 0; i--) {
      String s = segments.get(i);
      if (s.equals("apiKeys") || s.equals("workspaces") || s.equals("keys") || s.equals("api-tokens")) {
        return "/" + s + (i < segments.size() - 1 ? "/{id}" : "");
      }
      if (s.equals("ws") && i > 0 && segments.get(i - 1).equals("environments")) {
        return "/environments/ws/{id}";
      }
    }
    return "/other";
  }
}
