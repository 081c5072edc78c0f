package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Control endpoints of the {@link StatsigSimulator} under {@code /__simulator}: those of
 * {@link AbstractControlHandler} ({@code keys} including deleted ones, {@code stats}, {@code faults} with the same
 * fields as the FME simulator, {@code reset}) and
 *
 * <ul>
 *   <li>{@code POST /__simulator/keys/{key}/deactivate}, {@code DELETE /__simulator/keys/{key}}: revoke "in the
 *       Statsig console"</li>
 *   <li>{@code GET|PUT /__simulator/limits}: {@code {"mutationsPer10s":n,"attemptsPer15min":n}}</li>
 *   <li>{@code GET|PUT /__simulator/rules}: any subset of the {@link StatsigRules} fields</li>
 *   <li>{@code POST /__simulator/console-keys}: {@code {"key","scopes":[...]}}</li>
 * </ul>
 */
final class StatsigControlHandler extends AbstractControlHandler<StatsigSimKey> {

  private static final Set<String> LIMIT_FIELDS = Set.of("mutationsPer10s", "attemptsPer15min");
  private static final Map<String, BiConsumer<StatsigRules, JsonNode>> RULE_FIELDS = Map.of(
      "updateAnswersFullKey", (r, n) -> r.setUpdateAnswersFullKey(boolValue(n, "updateAnswersFullKey")),
      "otherKeyTypesListed", (r, n) -> r.setOtherKeyTypesListed(boolValue(n, "otherKeyTypesListed")),
      "createAnswers200", (r, n) -> r.setCreateAnswers200(boolValue(n, "createAnswers200")),
      "defaultListLimit", (r, n) -> r.setDefaultListLimit(intValue(n, "defaultListLimit")),
      "rejectedAttemptsCount", (r, n) -> r.setRejectedAttemptsCount(boolValue(n, "rejectedAttemptsCount")),
      "rateLimitRetryAfter", (r, n) -> r.setRateLimitRetryAfter(boolValue(n, "rateLimitRetryAfter")));

  private final StatsigSimulator simulator;

  StatsigControlHandler(StatsigSimulator simulator) {
    super(simulator::keys, simulator::activeKeys, StatsigControlHandler::keyJson, simulator::createCount,
        simulator::requestCounts, simulator::faults, simulator::reset);
    this.simulator = simulator;
  }

  @Override
  boolean handleMore(HttpExchange ex, String method, String path, byte[] body) throws IOException {
    if (path.startsWith("/keys/")) {
      outside(ex, method, path.substring("/keys/".length()));
      return true;
    }
    switch (path) {
      case "/limits" -> {
        if ("GET".equals(method)) {
          HttpReplies.json(ex, 200, limits());
        } else if (isChange(method)) {
          JsonNode root = parse(body);
          onlyFields(root, LIMIT_FIELDS, "limits");
          int per10s = root.has("mutationsPer10s")
              ? intValue(root, "mutationsPer10s") : simulator.mutationsPer10s();
          int per15min = root.has("attemptsPer15min")
              ? intValue(root, "attemptsPer15min") : simulator.attemptsPer15min();
          simulator.setMutationLimits(per10s, per15min);
          HttpReplies.json(ex, 200, limits());
        } else {
          methodNotAllowed(ex, "GET, PUT");
        }
      }
      case "/rules" -> {
        if ("GET".equals(method)) {
          HttpReplies.json(ex, 200, simulator.rules().toMap());
        } else if (isChange(method)) {
          applySettings(simulator.rules(), body, RULE_FIELDS, r -> new StatsigRules().copyFrom(r),
              StatsigRules::copyFrom, "rules");
          HttpReplies.json(ex, 200, simulator.rules().toMap());
        } else {
          methodNotAllowed(ex, "GET, PUT");
        }
      }
      case "/console-keys" -> {
        if (allow(ex, method, "POST")) {
          JsonNode root = parse(body);
          List<String> scopes = new ArrayList<>();
          root.path("scopes").forEach(s -> scopes.add(s.asText()));
          simulator.addConsoleKey(root.path("key").asText(null), scopes);
          HttpReplies.json(ex, 201, Map.of("added", true));
        }
      }
      default -> {
        return false;
      }
    }
    return true;
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
    m.put("attemptsPer15min", simulator.attemptsPer15min());
    return m;
  }

  static Map<String, Object> keyJson(StatsigSimKey k) {
    Map<String, Object> m = StatsigApiHandler.keyData(k);
    m.put("createdAt", k.createdAt() == null ? null : k.createdAt().toString());
    return m;
  }
}
