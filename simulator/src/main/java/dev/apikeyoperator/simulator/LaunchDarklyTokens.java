package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The access tokens of the simulated LaunchDarkly account ({@code /api/v2/tokens}): created with their secret shown
 * once, listed and read with it cut to its last four characters, patched, reset (the replaced secret valid until the
 * expiry asked for) and deleted. Called by {@link LaunchDarklySimulator} holding its lock.
 */
final class LaunchDarklyTokens {
  /** An access token: its secret, and replaced secrets still valid until their expiry (epoch ms). */
  static final class Token {
    String id;
    String name;
    String description;
    String role;
    List<String> customRoleIds = new ArrayList<>();
    JsonNode inlineRole;
    boolean serviceToken;
    int defaultApiVersion;
    String secret;
    final Map<String, Long> oldSecrets = new LinkedHashMap<>();
    long createdAt;
  }

  private final LaunchDarklySimulator sim;
  private final Map<String, Token> tokens = new LinkedHashMap<>();

  LaunchDarklyTokens(LaunchDarklySimulator sim) {
    this.sim = sim;
  }

  /** The tokens, as {id, name}. */
  List<List<String>> list() {
    return tokens.values().stream().map(t -> List.of(t.id, t.name)).toList();
  }

  /** The token whose secret (or a replaced secret still before its expiry) this is; the caller holds the lock. */
  Token bySecret(String secret, long now) {
    {
      for (Token t : tokens.values()) {
        Long until = t.oldSecrets.get(secret);
        if (secret.equals(t.secret) || until != null && until > now) {
          return t;
        }
      }
      return null;
    }
  }

  void answer(HttpExchange ex, String method, String route, String[] seg, byte[] body, Map<String, String> query,
      long now) throws IOException {
    switch (method + " " + route) {
      case "POST /tokens" -> create(ex, method, route, body, now);
      case "GET /tokens" -> {
        int limit = Integer.parseInt(query.getOrDefault("limit", "25"));
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        List<Object> items = tokens.values().stream().skip(offset).limit(limit).map(t -> (Object) rep(t, false))
            .toList();
        sim.reply(ex, method, route, 200, Map.of("items", items, "totalCount", tokens.size()));
      }
      case "GET /tokens/{id}" -> {
        Token t = tokens.get(seg[1]);
        if (t == null) {
          sim.notFound(ex, method, route);
          return;
        }
        sim.reply(ex, method, route, 200, rep(t, false));
      }
      case "PATCH /tokens/{id}" -> {
        Token t = tokens.get(seg[1]);
        if (t == null) {
          sim.notFound(ex, method, route);
          return;
        }
        JsonNode patch = HttpReplies.JSON.readTree(body);
        if (!patch.isArray() && !sim.rules.mergePatchTokens) {
          sim.reply(ex, method, route, 400, Map.of("code", "invalid_request", "message",
              "The body must be a JSON Patch: an array of operations"));
          return;
        }
        if (patch.isArray()) {
          for (JsonNode op : patch) {
            if ("/description".equals(op.path("path").asText())) {
              t.description = op.path("value").asText();
            } else if ("/role".equals(op.path("path").asText())) {
              t.role = op.path("value").asText();
            }
          }
        } else if (patch.has("description")) {
          t.description = patch.get("description").asText();
        }
        sim.reply(ex, method, route, 200, rep(t, false));
      }
      case "POST /tokens/{id}/reset" -> {
        Token t = tokens.get(seg[1]);
        if (t == null) {
          sim.notFound(ex, method, route);
          return;
        }
        String expiry = query.get("expiry");
        if (expiry != null && !expiry.isEmpty()) {
          // each replaced secret keeps its own expiry (the reading chosen in docs/integrations/vendor-apis.md)
          t.oldSecrets.put(t.secret, Long.parseLong(expiry));
        }
        t.secret = "api-" + sim.uuid();
        sim.reply(ex, method, route, 200, rep(t, true));
      }
      case "DELETE /tokens/{id}" -> {
        if (tokens.remove(seg[1]) == null) {
          sim.notFound(ex, method, route);
          return;
        }
        sim.count(method, route, 204);
        HttpReplies.empty(ex, 204);
      }
      default -> sim.notFound(ex, method, route);
    }
  }

  private void create(HttpExchange ex, String method, String route, byte[] body, long now) throws IOException {
    JsonNode req = HttpReplies.JSON.readTree(body);
    Token t = new Token();
    t.id = sim.hex(12);
    t.name = req.path("name").asText("");
    t.description = req.path("description").asText(null);
    t.role = req.path("role").asText(null);
    req.path("customRoleIds").forEach(r -> t.customRoleIds.add(r.asText()));
    t.inlineRole = req.get("inlineRole");
    t.serviceToken = req.path("serviceToken").asBoolean(false);
    t.defaultApiVersion = req.path("defaultApiVersion").asInt(0);
    if (t.role == null && t.customRoleIds.isEmpty() && (t.inlineRole == null || t.inlineRole.isEmpty())) {
      sim.reply(ex, method, route, 400, Map.of("code", "invalid_request", "message",
          "a role, customRoleIds or inlineRole is required"));
      return;
    }
    t.secret = "api-" + sim.uuid();
    t.createdAt = now;
    tokens.put(t.id, t);
    if (sim.dropCreateAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      sim.count(method, route, 0);
      ex.close();
      return;
    }
    sim.reply(ex, method, route, 201, rep(t, true));
  }

  private static Map<String, Object> rep(Token t, boolean whole) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("_id", t.id);
    m.put("name", t.name);
    m.put("description", t.description);
    m.put("role", t.role);
    m.put("customRoleIds", t.customRoleIds);
    m.put("inlineRole", t.inlineRole);
    m.put("serviceToken", t.serviceToken);
    m.put("defaultApiVersion", t.defaultApiVersion);
    m.put("token", whole ? t.secret : t.secret.substring(t.secret.length() - 4));
    m.put("creationDate", t.createdAt);
    return m;
  }
}
