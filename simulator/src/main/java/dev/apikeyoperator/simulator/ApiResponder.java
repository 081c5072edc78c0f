package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.HttpReplies.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * What both fake APIs do around each request: route it, read the body, apply the injected {@link Faults} (in this
 * order: {@code down} 503, rate limit 429, {@code errorRate} 500, {@code latencyMs}), answer an unknown route 404 and
 * a wrong method 405 (with {@code Allow}), count every answer in {@link RequestStats} as "METHOD /operation status"
 * (or "dropped"), and answer an {@link ApiError} or an unexpected failure with the API's own error body. Logs with
 * the API handler's logger, by operation only.
 */
final class ApiResponder {

  /** Sends the answer once it has been counted. */
  @FunctionalInterface
  interface Sender {
    void send() throws IOException;
  }

  /** A matched route: the operation name used in stats (no ids) and the methods it answers. */
  interface Route {
    String operation();

    List<String> methods();
  }

  /** The API's own handling of a request that passed the faults, on a known route with an allowed method. */
  @FunctionalInterface
  interface Handling<R extends Route> {
    void handle(HttpExchange ex, String method, R route, String operation, byte[] body) throws IOException, ApiError;
  }

  private final Faults faults;
  private final RateLimiter rateLimiter;
  private final RequestStats stats;
  private final ErrorReply errorReply;
  private final boolean rateLimitHeaders;
  private final Logger log;

  /**
   * {@code rateLimitHeaders}: whether this API sends the {@code X-RateLimit-*} headers on a 429 (when
   * {@link Faults#isRateLimitHeaders()} too) and honours {@link Faults#isBareRateLimitReplies()}; {@code Retry-After}
   * is sent unless a bare reply is.
   */
  ApiResponder(Faults faults, RateLimiter rateLimiter, RequestStats stats, ErrorReply errorReply,
               boolean rateLimitHeaders, Logger log) {
    this.faults = faults;
    this.rateLimiter = rateLimiter;
    this.stats = stats;
    this.errorReply = errorReply;
    this.rateLimitHeaders = rateLimitHeaders;
    this.log = log;
  }

  /**
   * Routes the path below {@code prefix} with {@code router} (null = unknown), reads the whole body, applies the
   * faults, then hands the request to {@code handling}.
   */
  <R extends Route> void serve(HttpExchange ex, String prefix, Function<String, R> router, Handling<R> handling)
      throws IOException {
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    R route = router.apply(ex.getRequestURI().getRawPath().substring(prefix.length()));
    String operation = method + " " + (route == null ? "<unknown>" : route.operation());
    try {
      // read the whole body first so that the connection can be reused or dropped cleanly
      byte[] body = ex.getRequestBody().readAllBytes();
      if (answeredByFault(ex, operation)) {
        return;
      }
      if (route == null) {
        throw new ApiError(404, "Not Found");
      }
      if (!route.methods().contains(method)) {
        ex.getResponseHeaders().set("Allow", String.join(", ", route.methods()));
        throw new ApiError(405, "Method Not Allowed");
      }
      handling.handle(ex, method, route, operation, body);
    } catch (ApiError e) {
      reply(ex, operation, e.status, () -> errorReply.send(ex, e.status, e.getMessage()));
    } catch (IOException e) {
      log.debug("{}: I/O error while answering: {}", operation, e.toString());
      ex.close();
    } catch (RuntimeException e) {
      log.warn("{}: unexpected error", operation, e);
      reply(ex, operation, 500, () -> errorReply.send(ex, 500, "Internal Server Error"));
    }
  }

  /** Whether a fault answered (or, interrupted in its latency, closed) the exchange. */
  private boolean answeredByFault(HttpExchange ex, String operation) throws IOException {
    if (faults.isDown()) {
      reply(ex, operation, 503, () -> HttpReplies.text(ex, 503, "service unavailable"));
      return true;
    }
    RateLimiter.Decision decision = rateLimiter.acquire();
    if (!decision.allowed()) {
      if (rateLimitHeaders && faults.isBareRateLimitReplies()) {
        // Harness-style: {"code":429}, no rate-limit headers, no Retry-After
        reply(ex, operation, 429, () -> HttpReplies.json(ex, 429, Map.of("code", 429)));
        return true;
      }
      String reset = Long.toString(decision.resetSeconds());
      if (rateLimitHeaders && faults.isRateLimitHeaders()) {
        ex.getResponseHeaders().set("X-RateLimit-Remaining-Org", "0");
        ex.getResponseHeaders().set("X-RateLimit-Remaining-IP", "0");
        ex.getResponseHeaders().set("X-RateLimit-Reset-Seconds-Org", reset);
        ex.getResponseHeaders().set("X-RateLimit-Reset-Seconds-IP", reset);
      }
      ex.getResponseHeaders().set("Retry-After", reset);
      reply(ex, operation, 429, () -> errorReply.send(ex, 429, "Too Many Requests"));
      return true;
    }
    double errorRate = faults.getErrorRate();
    if (errorRate > 0 && ThreadLocalRandom.current().nextDouble() < errorRate) {
      reply(ex, operation, 500, () -> HttpReplies.text(ex, 500, "Internal Server Error (simulated fault)"));
      return true;
    }
    int latency = faults.getLatencyMs();
    if (latency > 0) {
      try {
        Thread.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.close();
        return true;
      }
    }
    return false;
  }

  /** Counts the answer as "operation status", then sends it. */
  void reply(HttpExchange ex, String operation, int status, Sender sender) throws IOException {
    stats.record(operation, Integer.toString(status));
    log.debug("{} -> {}", operation, status);
    sender.send();
  }

  /**
   * After a create: when a {@code dropCreateResponses} fault applies, counts "operation dropped" and closes the
   * connection without any response, and answers true.
   */
  boolean dropCreateResponse(HttpExchange ex, String operation) {
    if (!faults.consumeDropCreateResponse()) {
      return false;
    }
    stats.record(operation, "dropped");
    log.debug("{} -> dropped (connection closed without a response)", operation);
    ex.close(); // no response headers sent: the server closes the connection
    return true;
  }

  /** The request body as a JSON object; 400 when it is empty, malformed or not an object. */
  static JsonNode jsonObject(byte[] body) throws ApiError {
    JsonNode root;
    try {
      root = body.length == 0 ? null : JSON.readTree(body);
    } catch (IOException e) {
      throw new ApiError(400, "Malformed JSON body");
    }
    if (root == null || !root.isObject()) {
      throw new ApiError(400, "The request body must be a JSON object");
    }
    return root;
  }

  /** The integer query parameter {@code name}, {@code dflt} when absent or empty; 400 when not an integer. */
  static int intParam(Map<String, String> q, String name, int dflt) throws ApiError {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ApiError(400, name + " must be an integer");
    }
  }
}
