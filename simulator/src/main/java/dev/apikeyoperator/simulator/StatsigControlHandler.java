package dev.apikeyoperator.simulator;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Control endpoints of the {@link StatsigSimulator} under {@code /__simulator}. Not subject to faults, not counted.
 *
 * <ul>
 *   <li>{@code GET /__simulator/keys[?active=true]}: every key (including its value and deleted ones)</li>
 *   <li>{@code POST /__simulator/keys/{key}/deactivate}, {@code DELETE /__simulator/keys/{key}}: revoke "in the
 *       Statsig console"</li>
 *   <li>{@code GET /__simulator/stats}: {@code {"createCount":n,"requests":{...}}}</li>
 *   <li>{@code GET|PUT /__simulator/faults}: the same fields as the FME simulator</li>
 *   <li>{@code GET|PUT /__simulator/limits}: {@code {"mutationsPer10s":n,"mutationsPer15min":n}}</li>
 *   <li>{@code POST /__simulator/console-keys}: {@code {"key","scopes":[...]}}</li>
 *   <li>{@code POST /__simulator/reset[?faults=true]}</li>
 * </ul>
 */
final class StatsigControlHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StatsigControlHandler.class);
  private static final Set<String> LIMIT_FIELDS = Set.of("mutationsPer10s", "mutationsPer15min");

  private final StatsigSimulator simulator;

  StatsigControlHandler(StatsigSimulator simulator) {
    this.simulator = simulator;
  }

  void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = ex.getRequestURI().getRawPath().substring(ControlHandler.PREFIX.length());
    if (path.endsWith("/") && path.length() > 1) {
      path = path.substring(0, path.length() - 1);
    }
    byte[] body = ex.getRequestBody().readAllBytes();
    try {
      if (path.startsWith("/keys/")) {
        outside(ex, method, path.substring("/keys/".length()));
        return;
      }
      switch (path) {
        case "/keys" -> {
          if (allow(ex, method, "GET")) {
            boolean activeOnly = "true".equalsIgnoreCase(HttpReplies.query(ex).get("active"));
            List<Object> out = new ArrayList<>();
            for (StatsigSimKey k : activeOnly ? simulator.activeKeys() : simulator.keys()) {
              out.add(keyJson(k));
            }
            HttpReplies.json(ex, 200, out);
          }
        }
        case "/stats" -> {
          if (allow(ex, method, "GET")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("createCount", simulator.createCount());
            m.put("requests", simulator.requestCounts());
            HttpReplies.json(ex, 200, m);
          }
        }
        case "/faults" -> {
          if ("GET".equals(method)) {
            HttpReplies.json(ex, 200, simulator.faults().toMap());
          } else if ("PUT".equals(method) || "POST".equals(method) || "PATCH".equals(method)) {
            ControlHandler.applyFaults(simulator.faults(), body);
            HttpReplies.json(ex, 200, simulator.faults().toMap());
          } else {
            methodNotAllowed(ex, "GET, PUT");
          }
        }
        case "/limits" -> {
          if ("GET".equals(method)) {
            HttpReplies.json(ex, 200, limits());
          } else if ("PUT".equals(method) || "POST".equals(method) || "PATCH".equals(method)) {
            JsonNode root = ControlHandler.parse(body);
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
              String f = it.next();
              if (!LIMIT_FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown limits field: " + f);
              }
            }
            int per10s = root.has("mutationsPer10s")
                ? ControlHandler.intValue(root, "mutationsPer10s") : simulator.mutationsPer10s();
            int per15min = root.has("mutationsPer15min")
                ? ControlHandler.intValue(root, "mutationsPer15min") : simulator.mutationsPer15min();
            simulator.setMutationLimits(per10s, per15min);
            HttpReplies.json(ex, 200, limits());
          } else {
            methodNotAllowed(ex, "GET, PUT");
          }
        }
        case "/console-keys" -> {
          if (allow(ex, method, "POST")) {
            JsonNode root = ControlHandler.parse(body);
            List<String> scopes = new ArrayList<>();
            root.path("scopes").forEach(s -> scopes.add(s.asText()));
            simulator.addConsoleKey(root.path("key").asText(null), scopes);
            HttpReplies.json(ex, 201, Map.of("added", true));
          }
        }
        case "/reset" -> {
          if (allow(ex, method, "POST")) {
            simulator.reset();
            if ("true".equalsIgnoreCase(HttpReplies.query(ex).get("faults"))) {
              simulator.faults().clear();
            }
            HttpReplies.json(ex, 200, Map.of("reset", true));
          }
        }
        default -> HttpReplies.error(ex, 404, "Not Found");
      }
    } catch (IllegalArgumentException e) {
      HttpReplies.error(ex, 400, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("control request failed", e);
      HttpReplies.error(ex, 500, "Internal Server Error");
    }
  }

  /** {@code POST /keys/{key}/deactivate} or {@code DELETE /keys/{key}}; 404 when the key is unknown. */
  private void outside(HttpExchange ex, String method, String rest) throws IOException {
    String[] parts = rest.split("/", -1);
    String key = HttpReplies.decode(parts[0]);
    try {
      if (parts.length == 1 && !key.isEmpty()) {
        if (allow(ex, method, "DELETE")) {
          simulator.deleteOutside(key);
          HttpReplies.json(ex, 200, Map.of("status", StatsigSimKey.DELETED));
        }
      } else if (parts.length == 2 && parts[1].equals("deactivate") && !key.isEmpty()) {
        if (allow(ex, method, "POST")) {
          simulator.deactivateOutside(key);
          HttpReplies.json(ex, 200, Map.of("status", StatsigSimKey.DEACTIVATED));
        }
      } else {
        HttpReplies.error(ex, 404, "Not Found");
      }
    } catch (IllegalArgumentException e) {
      HttpReplies.error(ex, 404, "unknown key");
    }
  }

  private Map<String, Object> limits() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mutationsPer10s", simulator.mutationsPer10s());
    m.put("mutationsPer15min", simulator.mutationsPer15min());
    return m;
  }

  private static boolean allow(HttpExchange ex, String method, String allowed) throws IOException {
    if (allowed.equals(method)) {
      return true;
    }
    methodNotAllowed(ex, allowed);
    return false;
  }

  private static void methodNotAllowed(HttpExchange ex, String allowed) throws IOException {
    ex.getResponseHeaders().set("Allow", allowed);
    HttpReplies.error(ex, 405, "Method Not Allowed");
  }

  static Map<String, Object> keyJson(StatsigSimKey k) {
    Map<String, Object> m = StatsigApiHandler.keyData(k);
    m.put("createdAt", k.createdAt() == null ? null : k.createdAt().toString());
    return m;
  }
}
