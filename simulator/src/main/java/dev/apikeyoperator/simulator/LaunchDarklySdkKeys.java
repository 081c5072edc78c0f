package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK Keys API (beta) of the simulated LaunchDarkly account ({@code /api/v2/projects/{p}/environments/{e}/sdk-keys}):
 * caller-chosen key ids, never reused once deleted (tombstones), an expiry that cannot be changed once set, the plan's
 * refusal of a second key. Called by {@link LaunchDarklySimulator} holding its lock.
 */
final class LaunchDarklySdkKeys {
  /** An SDK or mobile key of the SDK Keys API. */
  static final class SdkKey {
    String key;
    String project;
    String environment;
    String name;
    String kind;
    String value;
    String description;
    Long expiry;
    int version = 1;
    long createdAt;
  }

  private final LaunchDarklySimulator sim;
  private final Map<String, SdkKey> keys = new LinkedHashMap<>();
  private final Set<String> tombstones = new HashSet<>();
  /** SDK key value -> PATCHes that set its expiry; kept after the key is deleted. */
  private final Map<String, Integer> expiryPatches = new ConcurrentHashMap<>();

  LaunchDarklySdkKeys(LaunchDarklySimulator sim) {
    this.sim = sim;
  }

  /** Whether an SDK key with this value lives and has not expired. */
  boolean works(String value, long now) {
    return keys.values().stream().anyMatch(k -> k.value.equals(value) && (k.expiry == null || k.expiry > now));
  }

  /** The live SDK keys, as {key, kind, expiry or ""}. */
  List<List<String>> list() {
    return keys.values().stream().map(k -> List.of(k.key, k.kind, k.expiry == null ? "" : k.expiry.toString()))
        .toList();
  }

  Long expiryOf(String value) {
    return keys.values().stream().filter(k -> k.value.equals(value)).map(k -> k.expiry).findFirst().orElse(null);
  }

  int expiryPatches(String value) {
    return expiryPatches.getOrDefault(value, 0);
  }

  void answer(HttpExchange ex, String method, String route, String[] seg, byte[] body, long now) throws IOException {
    switch (method + " " + route) {
      case "POST /sdk-keys" -> create(ex, method, route, seg, body, now);
      case "GET /sdk-keys/{key}" -> {
        SdkKey k = live(seg, now);
        if (k == null) {
          sim.notFound(ex, method, route);
          return;
        }
        sim.reply(ex, method, route, 200, rep(k));
      }
      case "PATCH /sdk-keys/{key}" -> {
        SdkKey k = live(seg, now);
        if (k == null) {
          sim.notFound(ex, method, route);
          return;
        }
        JsonNode patch = HttpReplies.JSON.readTree(body);
        if (patch.has("expiry")) {
          long expiry = patch.get("expiry").asLong();
          if (k.expiry != null && expiry != k.expiry && !sim.rules.clearableExpiry) {
            sim.reply(ex, method, route, 400, Map.of("code", "invalid_request", "message",
                "An SDK key's expiry cannot be changed or cleared once set"));
            return;
          }
          k.expiry = expiry == 0 ? null : expiry;
          expiryPatches.merge(k.value, 1, Integer::sum);
        }
        if (patch.has("description")) {
          k.description = patch.get("description").asText();
        }
        if (patch.has("name")) {
          k.name = patch.get("name").asText();
        }
        k.version++;
        sim.reply(ex, method, route, 200, rep(k));
      }
      case "DELETE /sdk-keys/{key}" -> {
        SdkKey k = keys.remove(seg[1] + "/" + seg[3] + "/" + seg[5]);
        if (k == null) {
          sim.notFound(ex, method, route);
          return;
        }
        tombstones.add(seg[1] + "/" + seg[3] + "/" + seg[5]);
        sim.count(method, route, 204);
        HttpReplies.empty(ex, 204);
      }
      default -> sim.notFound(ex, method, route);
    }
  }

  private void create(HttpExchange ex, String method, String route, String[] seg, byte[] body, long now)
      throws IOException {
    LaunchDarklySimulator.Environment env = sim.environments.get(seg[1] + "/" + seg[3]);
    if (env == null) {
      sim.notFound(ex, method, route);
      return;
    }
    JsonNode req = HttpReplies.JSON.readTree(body);
    String key = req.path("key").asText("");
    String kind = req.path("kind").asText("");
    if (key.isEmpty() || !key.matches("[a-z0-9._-]+") || !(kind.equals("sdk") || kind.equals("mobile"))) {
      sim.reply(ex, method, route, 400, Map.of("code", "invalid_request", "message",
          "key (lower case letters, digits, '.', '_', '-') and kind (sdk or mobile) are required"));
      return;
    }
    String id = seg[1] + "/" + seg[3] + "/" + key;
    if (keys.containsKey(id) || tombstones.contains(id) && !sim.rules.reuseDeletedIds) {
      sim.reply(ex, method, route, 409, Map.of("code", "conflict", "message", "SDK key already exists"));
      return;
    }
    if (!sim.rules.multipleSdkKeys) {
      sim.reply(ex, method, route, sim.rules.planRefusalStatus, Map.of("code", "forbidden", "message",
          "Your plan allows one " + kind + " key per environment; more need an Enterprise or Guardian plan"));
      return;
    }
    SdkKey k = new SdkKey();
    k.key = key;
    k.project = seg[1];
    k.environment = seg[3];
    k.name = req.path("name").asText(key);
    k.kind = kind;
    k.value = (kind.equals("sdk") ? "sdk-" : "mob-") + sim.uuid();
    k.description = req.path("description").asText(null);
    k.expiry = req.has("expiry") ? req.get("expiry").asLong() : null;
    k.createdAt = now;
    keys.put(id, k);
    if (sim.dropCreateAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      sim.count(method, route, 0);
      ex.close(); // the key exists; the answer is lost
      return;
    }
    sim.reply(ex, method, route, 201, rep(k));
  }

  private SdkKey live(String[] seg, long now) {
    SdkKey k = keys.get(seg[1] + "/" + seg[3] + "/" + seg[5]);
    return k == null || k.expiry != null && k.expiry <= now ? null : k;
  }

  private static Map<String, Object> rep(SdkKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", k.key);
    m.put("name", k.name);
    m.put("kind", k.kind);
    m.put("value", k.value);
    m.put("isDefault", false);
    m.put("expiry", k.expiry);
    m.put("description", k.description);
    m.put("_version", k.version);
    m.put("_createdAt", k.createdAt);
    return m;
  }
}
