package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.HttpReplies.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control endpoints under {@code /__simulator} that both simulators have, for tests, the sandbox and humans. Not
 * subject to faults and not counted in the request stats. A subclass adds its own routes in
 * {@link #handleMore(HttpExchange, String, String, byte[])}.
 *
 * <ul>
 *   <li>{@code GET /__simulator/keys[?active=true]}: every key (including its value)</li>
 *   <li>{@code GET /__simulator/stats}: {@code {"createCount":n,"requests":{...}}}</li>
 *   <li>{@code GET|PUT /__simulator/faults}: read or change (any subset of) the faults</li>
 *   <li>{@code POST /__simulator/reset}: forget keys and counts ({@code ?faults=true} also clears faults)</li>
 * </ul>
 *
 * <p>A body that is not what the route wants answers 400 (any {@link IllegalArgumentException}); an unknown route 404.
 *
 * @param <K> the simulator's key type
 */
abstract class AbstractControlHandler<K> {

  static final String PREFIX = "/__simulator";
  private static final Logger LOG = LoggerFactory.getLogger(AbstractControlHandler.class);
  private static final Set<String> FAULT_FIELDS = Set.of("latencyMs", "errorRate", "rateLimitPerSecond",
      "dropCreateResponses", "dropAllCreateResponses", "createResponsesIncludeId", "down", "rateLimitHeaders",
      "bareRateLimitReplies", "workspaceListErrors");

  private final Supplier<List<K>> keys;
  private final Supplier<List<K>> activeKeys;
  private final Function<K, Map<String, Object>> keyJson;
  private final IntSupplier createCount;
  private final Supplier<Map<String, Integer>> requestCounts;
  private final Supplier<Faults> faults;
  private final Runnable reset;

  /** The simulator's views and actions behind the shared routes, e.g. {@code simulator::keys}. */
  AbstractControlHandler(Supplier<List<K>> keys, Supplier<List<K>> activeKeys,
                         Function<K, Map<String, Object>> keyJson, IntSupplier createCount,
                         Supplier<Map<String, Integer>> requestCounts, Supplier<Faults> faults, Runnable reset) {
    this.keys = keys;
    this.activeKeys = activeKeys;
    this.keyJson = keyJson;
    this.createCount = createCount;
    this.requestCounts = requestCounts;
    this.faults = faults;
    this.reset = reset;
  }

  /**
   * The simulator's own routes ({@code path} below {@link #PREFIX}, without a trailing slash); false when
   * {@code path} is none of them (404).
   */
  abstract boolean handleMore(HttpExchange ex, String method, String path, byte[] body) throws IOException;

  final void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = ex.getRequestURI().getRawPath().substring(PREFIX.length());
    if (path.endsWith("/") && path.length() > 1) {
      path = path.substring(0, path.length() - 1);
    }
    byte[] body = ex.getRequestBody().readAllBytes();
    try {
      switch (path) {
        case "/keys" -> {
          if (allow(ex, method, "GET")) {
            boolean activeOnly = "true".equalsIgnoreCase(HttpReplies.query(ex).get("active"));
            List<Object> out = new ArrayList<>();
            for (K k : activeOnly ? activeKeys.get() : keys.get()) {
              out.add(keyJson.apply(k));
            }
            HttpReplies.json(ex, 200, out);
          }
        }
        case "/stats" -> {
          if (allow(ex, method, "GET")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("createCount", createCount.getAsInt());
            m.put("requests", requestCounts.get());
            HttpReplies.json(ex, 200, m);
          }
        }
        case "/faults" -> {
          if ("GET".equals(method)) {
            HttpReplies.json(ex, 200, faults.get().toMap());
          } else if (isChange(method)) {
            applyFaults(faults.get(), body);
            HttpReplies.json(ex, 200, faults.get().toMap());
          } else {
            methodNotAllowed(ex, "GET, PUT");
          }
        }
        case "/reset" -> {
          if (allow(ex, method, "POST")) {
            reset.run();
            if ("true".equalsIgnoreCase(HttpReplies.query(ex).get("faults"))) {
              faults.get().clear();
            }
            HttpReplies.json(ex, 200, Map.of("reset", true));
          }
        }
        default -> {
          if (!handleMore(ex, method, path, body)) {
            HttpReplies.error(ex, 404, "Not Found");
          }
        }
      }
    } catch (IllegalArgumentException e) {
      HttpReplies.error(ex, 400, e.getMessage());
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(getClass()).warn("control request failed", e);
      HttpReplies.error(ex, 500, "Internal Server Error");
    }
  }

  /** PUT, POST or PATCH: the methods that change a settings resource ({@code /faults}, ...). */
  static boolean isChange(String method) {
    return "PUT".equals(method) || "POST".equals(method) || "PATCH".equals(method);
  }

  /** Whether {@code method} is the {@code allowed} one; answers 405 otherwise. */
  static boolean allow(HttpExchange ex, String method, String allowed) throws IOException {
    if (allowed.equals(method)) {
      return true;
    }
    methodNotAllowed(ex, allowed);
    return false;
  }

  static void methodNotAllowed(HttpExchange ex, String allowed) throws IOException {
    ex.getResponseHeaders().set("Allow", allowed);
    HttpReplies.error(ex, 405, "Method Not Allowed");
  }

  static JsonNode parse(byte[] body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      return root;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON body");
    }
  }

  /** Throws "unknown {what} field: f" for the first field of {@code root} that is not one of {@code known}. */
  static void onlyFields(JsonNode root, Set<String> known, String what) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new IllegalArgumentException("unknown " + what + " field: " + f);
      }
    }
  }

  /** Applies a JSON object holding any subset of the fault fields. Validates everything before changing anything. */
  static void applyFaults(Faults target, byte[] body) {
    JsonNode root = parse(body);
    onlyFields(root, FAULT_FIELDS, "fault");
    Faults candidate = new Faults().copyFrom(target);
    if (root.has("latencyMs")) {
      candidate.setLatencyMs(intValue(root, "latencyMs"));
    }
    if (root.has("errorRate")) {
      candidate.setErrorRate(numberValue(root, "errorRate"));
    }
    if (root.has("rateLimitPerSecond")) {
      candidate.setRateLimitPerSecond(numberValue(root, "rateLimitPerSecond"));
    }
    if (root.has("dropCreateResponses")) {
      candidate.setDropCreateResponses(intValue(root, "dropCreateResponses"));
    }
    if (root.has("dropAllCreateResponses")) {
      candidate.setDropAllCreateResponses(boolValue(root, "dropAllCreateResponses"));
    }
    if (root.has("createResponsesIncludeId")) {
      candidate.setCreateResponsesIncludeId(boolValue(root, "createResponsesIncludeId"));
    }
    if (root.has("down")) {
      candidate.setDown(boolValue(root, "down"));
    }
    if (root.has("rateLimitHeaders")) {
      candidate.setRateLimitHeaders(boolValue(root, "rateLimitHeaders"));
    }
    if (root.has("bareRateLimitReplies")) {
      candidate.setBareRateLimitReplies(boolValue(root, "bareRateLimitReplies"));
    }
    if (root.has("workspaceListErrors")) {
      candidate.setWorkspaceListErrors(intValue(root, "workspaceListErrors"));
    }
    target.copyFrom(candidate);
    LOG.info("faults changed: {}", target);
  }

  /**
   * Applies a JSON object holding any subset of {@code fields} (name to a setter that reads its field of the object, e.g. with {@link #boolValue}) to {@code live}: every
   * value is validated on a copy made by {@code copy} first, so a bad one changes nothing. Answers {@code live}.
   */
  static <T> T applySettings(T live, byte[] body, Map<String, BiConsumer<T, JsonNode>> fields,
                             UnaryOperator<T> copy, BiConsumer<T, T> copyInto, String what) {
    JsonNode root = parse(body);
    onlyFields(root, fields.keySet(), what);
    T candidate = copy.apply(live);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      fields.get(f).accept(candidate, root);
    }
    copyInto.accept(live, candidate);
    LOG.info("{} changed: {}", what, live);
    return live;
  }

  static int intValue(JsonNode root, String f) {
    JsonNode n = root.get(f);
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException(f + " must be an integer");
    }
    return n.intValue();
  }

  static double numberValue(JsonNode root, String f) {
    JsonNode n = root.get(f);
    if (!n.isNumber()) {
      throw new IllegalArgumentException(f + " must be a number");
    }
    return n.doubleValue();
  }

  static boolean boolValue(JsonNode root, String f) {
    JsonNode n = root.get(f);
    if (!n.isBoolean()) {
      throw new IllegalArgumentException(f + " must be true or false");
    }
    return n.booleanValue();
  }
}
