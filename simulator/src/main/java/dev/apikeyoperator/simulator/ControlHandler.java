package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.HttpReplies.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.apikeyoperator.simulator.SimulatorState.Environment;
import dev.apikeyoperator.simulator.SimulatorState.Project;
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
 * Control endpoints under {@code /__simulator} for tests, the sandbox and humans. Not subject to faults and not
 * counted in the request stats.
 *
 * <ul>
 *   <li>{@code GET /__simulator/keys[?active=true]}: every key (including its value)</li>
 *   <li>{@code GET /__simulator/stats}: {@code {"createCount":n,"requests":{...}}}</li>
 *   <li>{@code GET|PUT /__simulator/faults}: read or change (any subset of) the faults</li>
 *   <li>{@code POST /__simulator/reset}: forget keys and counts ({@code ?faults=true} also clears faults)</li>
 *   <li>{@code GET /__simulator/projects}: projects with ids and environments</li>
 *   <li>{@code POST /__simulator/projects}: add a project {@code {"name","environments":[...]}}</li>
 *   <li>{@code GET|PUT /__simulator/account}: {@code {"harnessMigrated":bool}}</li>
 *   <li>{@code POST /__simulator/credentials}: add a credential
 *       {@code {"token","roles":[...],"workspaceId":null,"environmentIds":[]}}</li>
 * </ul>
 */
final class ControlHandler {

  static final String PREFIX = "/__simulator";
  private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);
  private static final Set<String> FAULT_FIELDS = Set.of("latencyMs", "errorRate", "rateLimitPerSecond",
      "dropCreateResponses", "dropAllCreateResponses", "createResponsesIncludeId", "down", "rateLimitHeaders");

  private final FmeSimulator simulator;
  private final SimulatorState state;

  ControlHandler(FmeSimulator simulator, SimulatorState state) {
    this.simulator = simulator;
    this.state = state;
  }

  void handle(HttpExchange ex) throws IOException {
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
            for (SimKey k : activeOnly ? simulator.activeKeys() : simulator.keys()) {
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
            applyFaults(simulator.faults(), body);
            HttpReplies.json(ex, 200, simulator.faults().toMap());
          } else {
            methodNotAllowed(ex, "GET, PUT");
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
        case "/projects" -> {
          if ("GET".equals(method)) {
            HttpReplies.json(ex, 200, projectsJson());
          } else if ("POST".equals(method)) {
            JsonNode root = parse(body);
            List<String> envs = new ArrayList<>();
            root.path("environments").forEach(e -> envs.add(e.isObject() ? e.path("name").asText() : e.asText()));
            simulator.addProject(root.path("name").asText(null), envs);
            HttpReplies.json(ex, 201, projectsJson());
          } else {
            methodNotAllowed(ex, "GET, POST");
          }
        }
        case "/account" -> {
          if ("GET".equals(method)) {
            HttpReplies.json(ex, 200, Map.of("harnessMigrated", simulator.isHarnessMigrated()));
          } else if ("PUT".equals(method) || "POST".equals(method) || "PATCH".equals(method)) {
            JsonNode root = parse(body);
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
              String f = it.next();
              if (!"harnessMigrated".equals(f)) {
                throw new IllegalArgumentException("unknown account field: " + f);
              }
            }
            if (root.has("harnessMigrated")) {
              simulator.setHarnessMigrated(boolValue(root, "harnessMigrated"));
              LOG.info("harnessMigrated set to {}", simulator.isHarnessMigrated());
            }
            HttpReplies.json(ex, 200, Map.of("harnessMigrated", simulator.isHarnessMigrated()));
          } else {
            methodNotAllowed(ex, "GET, PUT");
          }
        }
        case "/credentials" -> {
          if (allow(ex, method, "POST")) {
            JsonNode root = parse(body);
            List<String> roles = new ArrayList<>();
            root.path("roles").forEach(r -> roles.add(r.asText()));
            List<String> envs = new ArrayList<>();
            root.path("environmentIds").forEach(e -> envs.add(e.asText()));
            JsonNode ws = root.get("workspaceId");
            simulator.addCredential(root.path("token").asText(null), roles,
                ws == null || ws.isNull() ? null : ws.asText(), envs);
            HttpReplies.json(ex, 201, Map.of("added", true));
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

  /** Applies a JSON object holding any subset of the fault fields. Validates everything before changing anything. */
  static void applyFaults(Faults target, byte[] body) {
    JsonNode root = parse(body);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FAULT_FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown fault field: " + f);
      }
    }
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
    target.copyFrom(candidate);
    LOG.info("faults changed: {}", target);
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

  static Map<String, Object> keyJson(SimKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", k.name());
    m.put("id", k.id());
    m.put("key", k.key());
    m.put("type", k.type());
    m.put("workspaceId", k.workspaceId());
    m.put("environmentIds", k.environmentIds());
    m.put("roles", k.roles());
    m.put("active", k.active());
    m.put("createdAt", k.createdAt() == null ? null : k.createdAt().toString());
    m.put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString());
    return m;
  }

  private List<Object> projectsJson() {
    List<Object> out = new ArrayList<>();
    for (Project p : state.projects()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", p.id());
      m.put("name", p.name());
      List<Object> envs = new ArrayList<>();
      for (Environment e : p.environments()) {
        Map<String, Object> em = new LinkedHashMap<>();
        em.put("id", e.id());
        em.put("name", e.name());
        em.put("production", e.production());
        envs.add(em);
      }
      m.put("environments", envs);
      out.add(m);
    }
    return out;
  }
}
