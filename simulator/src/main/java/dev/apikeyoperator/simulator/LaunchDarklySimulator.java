package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful, in-process fake of the LaunchDarkly REST API (v2) parts the operator uses: environments and their shared
 * keys, the SDK Keys API (beta), and access tokens; served on 127.0.0.1 (paths under {@code /api/v2}). Strict by
 * default ({@link LaunchDarklyRules}). Thread-safe (one lock: it is a test fake).
 *
 * <pre>{@code
 * try (LaunchDarklySimulator sim = LaunchDarklySimulator.start(0)) {
 *   sim.addEnvironment("shop", "production");
 *   String base = sim.baseUrl();       // http://127.0.0.1:<port>
 *   String token = sim.adminToken();   // Authorization: <token>
 * }
 * }</pre>
 */
public final class LaunchDarklySimulator implements AutoCloseable {
  public static final String PREFIX = "/api/v2";
  public static final String DEFAULT_ADMIN_TOKEN = "api-sim-admin";

  private final Object lock = new Object();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final LaunchDarklyRules rules = new LaunchDarklyRules();
  private final String adminToken;
  private final EmbeddedHttpServer server;
  private final Map<String, Environment> environments = new LinkedHashMap<>();
  private final Map<String, SdkKey> sdkKeys = new LinkedHashMap<>();
  private final java.util.Set<String> tombstones = new java.util.HashSet<>();
  private final Map<String, Token> tokens = new LinkedHashMap<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  /** SDK key value -> PATCHes that set its expiry; kept after the key is deleted. */
  private final Map<String, Integer> expiryPatches = new ConcurrentHashMap<>();
  private final AtomicInteger rateLimitNext = new AtomicInteger();
  private final AtomicInteger dropCreateAnswers = new AtomicInteger();
  private volatile long rateLimitResetMillis = 1000;
  private volatile int latencyMs;

  /** An environment; {@code oldSdkKeys}: replaced SDK keys with their expiry (epoch ms). */
  static final class Environment {
    final String id;
    final String key;
    final String name;
    String apiKey;
    String mobileKey;
    final Map<String, Long> oldSdkKeys = new LinkedHashMap<>();

    Environment(String id, String key, String apiKey, String mobileKey) {
      this.id = id;
      this.key = key;
      this.name = key;
      this.apiKey = apiKey;
      this.mobileKey = mobileKey;
    }
  }

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

  private LaunchDarklySimulator(int port, String adminToken, Clock clock) throws IOException {
    this.adminToken = adminToken;
    this.clock = clock;
    this.server = new EmbeddedHttpServer("launchdarkly-sim", port, Map.of(PREFIX, this::handle),
        HttpReplies::error);
  }

  /** Starts a simulator (port 0 = ephemeral) bound to 127.0.0.1, with the admin token {@value DEFAULT_ADMIN_TOKEN}. */
  public static LaunchDarklySimulator start(int port) {
    return start(port, DEFAULT_ADMIN_TOKEN, Clock.systemUTC());
  }

  public static LaunchDarklySimulator start(int port, String adminToken, Clock clock) {
    try {
      return new LaunchDarklySimulator(port, adminToken, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the LaunchDarkly simulator on port " + port, e);
    }
  }

  /** Runs the simulator alone: {@code --port 8092} (default), one project {@code default} with test and production. */
  public static void main(String[] args) throws InterruptedException {
    int port = 8092;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--port")) {
        port = Integer.parseInt(args[i + 1]);
      }
    }
    LaunchDarklySimulator sim = start(port);
    sim.addEnvironment("default", "test");
    sim.addEnvironment("default", "production");
    System.out.println("LaunchDarkly simulator on " + sim.baseUrl() + " (token " + sim.adminToken() + ")");
    Thread.currentThread().join();
  }

  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:<port>}: the provider's baseUrl. */
  public String baseUrl() {
    return server.url("");
  }

  public String adminToken() {
    return adminToken;
  }

  public LaunchDarklyRules rules() {
    return rules;
  }

  /** Adds an environment to a project (created as needed); returns its client-side id. */
  public String addEnvironment(String project, String environment) {
    synchronized (lock) {
      Environment env = new Environment(hex(12), environment, "sdk-" + uuid(), "mob-" + uuid());
      environments.put(project + "/" + environment, env);
      return env.id;
    }
  }

  /** The environment's client-side id, SDK key and mobile key. */
  public List<String> environmentKeys(String project, String environment) {
    synchronized (lock) {
      Environment env = environments.get(project + "/" + environment);
      return List.of(env.id, env.apiKey, env.mobileKey);
    }
  }

  /** Resets an environment's SDK key as someone in LaunchDarkly's UI would (the old one dies at once). */
  public void resetSdkKeyOutside(String project, String environment) {
    synchronized (lock) {
      environments.get(project + "/" + environment).apiKey = "sdk-" + uuid();
    }
  }

  /** Whether an SDK-side credential (an SDK or mobile key, own or shared) works now. */
  public boolean sdkCredentialWorks(String value) {
    long now = clock.millis();
    synchronized (lock) {
      for (Environment env : environments.values()) {
        if (value.equals(env.apiKey) || value.equals(env.mobileKey)) {
          return true;
        }
        Long until = env.oldSdkKeys.get(value);
        if (until != null && until > now) {
          return true;
        }
      }
      return sdkKeys.values().stream().anyMatch(k -> k.value.equals(value) && (k.expiry == null || k.expiry > now));
    }
  }

  /** Whether an access token secret works now. */
  public boolean tokenWorks(String secret) {
    return secret.equals(adminToken) || tokenOf(secret) != null;
  }

  /** The live SDK keys of the SDK Keys API (not expired), as {key, kind, expiry or ""}. */
  public List<List<String>> sdkKeys() {
    synchronized (lock) {
      return sdkKeys.values().stream().map(k -> List.of(k.key, k.kind, k.expiry == null ? "" : k.expiry.toString()))
          .toList();
    }
  }

  /** The tokens, as {id, name}. */
  public List<List<String>> tokens() {
    synchronized (lock) {
      return tokens.values().stream().map(t -> List.of(t.id, t.name)).toList();
    }
  }

  /** The expiry (epoch ms) of the SDK key with this value, or null. */
  public Long sdkKeyExpiry(String value) {
    synchronized (lock) {
      return sdkKeys.values().stream().filter(k -> k.value.equals(value)).map(k -> k.expiry).findFirst()
          .orElse(null);
    }
  }

  /** How many PATCHes set the expiry of the SDK key with this value, deleted or not. */
  public int expiryPatches(String value) {
    return expiryPatches.getOrDefault(value, 0);
  }

  /** Latency added to every API request, in ms (so that a test's kill lands mid-call). */
  public void setLatencyMs(int ms) {
    latencyMs = ms;
  }

  /** The number of SDK keys and tokens ever created (answered or not). */
  public int createCount() {
    return counts.entrySet().stream().filter(e -> e.getKey().startsWith("POST /sdk-keys 201")
        || e.getKey().startsWith("POST /sdk-keys 0") || e.getKey().startsWith("POST /tokens 201")
        || e.getKey().startsWith("POST /tokens 0")).mapToInt(Map.Entry::getValue).sum();
  }

  /** The next {@code n} API calls answer 429 with the rate-limit headers (reset in {@code resetMillis}). */
  public void rateLimitNext(int n, long resetMillis) {
    rateLimitResetMillis = resetMillis;
    rateLimitNext.set(n);
  }

  /** The next {@code n} creates (SDK keys, tokens) happen, but their answer is lost (the connection is closed). */
  public void dropCreateAnswers(int n) {
    dropCreateAnswers.set(n);
  }

  /** Requests by "METHOD /route status", e.g. "POST /sdk-keys 201". */
  public Map<String, Integer> requestCounts() {
    return Map.copyOf(counts);
  }

  @Override
  public void close() {
    server.close();
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath().substring(PREFIX.length());
    String[] seg = path.isEmpty() ? new String[0] : path.substring(1).split("/");
    byte[] body = ex.getRequestBody().readAllBytes();
    String route = route(seg);
    if (latencyMs > 0) {
      try {
        Thread.sleep(latencyMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      ex.getResponseHeaders().set("X-Ratelimit-Global-Remaining", "0");
      ex.getResponseHeaders().set("X-Ratelimit-Route-Remaining", "0");
      ex.getResponseHeaders().set("X-Ratelimit-Reset", Long.toString(clock.millis() + rateLimitResetMillis));
      reply(ex, method, route, 429, Map.of("code", "rate_limited", "message", "You've exceeded the API rate limit"));
      return;
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null && rules.acceptBearer && auth.startsWith("Bearer ")) {
      auth = auth.substring(7);
    }
    if (auth == null || !tokenWorks(auth)) {
      reply(ex, method, route, 401, Map.of("code", "unauthorized", "message", "Invalid access token"));
      return;
    }
    boolean betaRoute = route.contains("sdk-keys");
    if (betaRoute && !rules.betaHeaderOptional && !"beta".equals(ex.getRequestHeaders().getFirst("LD-API-Version"))) {
      reply(ex, method, route, 400, Map.of("code", "invalid_request", "message",
          "This is a beta resource: send the header LD-API-Version: beta"));
      return;
    }
    Map<String, String> query = HttpReplies.query(ex);
    synchronized (lock) {
      answer(ex, method, route, seg, body, query);
    }
  }

  private static String route(String[] seg) {
    if (seg.length >= 1 && seg[0].equals("tokens")) {
      return seg.length == 1 ? "/tokens" : seg.length == 2 ? "/tokens/{id}" : "/tokens/{id}/" + seg[2];
    }
    if (seg.length == 1 && seg[0].equals("projects")) {
      return "/projects";
    }
    if (seg.length >= 4 && seg[0].equals("projects") && seg[2].equals("environments")) {
      if (seg.length == 4) {
        return "/environments/{e}";
      }
      if (seg[4].equals("sdk-keys")) {
        return seg.length == 5 ? "/sdk-keys" : "/sdk-keys/{key}";
      }
      return "/environments/{e}/" + seg[4];
    }
    return "/unknown";
  }

  private void answer(HttpExchange ex, String method, String route, String[] seg, byte[] body,
      Map<String, String> query) throws IOException {
    long now = clock.millis();
    switch (method + " " + route) {
      case "GET /projects" -> reply(ex, method, route, 200, Map.of("items", List.of(), "totalCount", 0));
      case "GET /environments/{e}" -> {
        Environment env = environments.get(seg[1] + "/" + seg[3]);
        if (env == null) {
          notFound(ex, method, route);
          return;
        }
        reply(ex, method, route, 200, environmentRep(env));
      }
      case "POST /environments/{e}/apiKey", "POST /environments/{e}/mobileKey" -> {
        Environment env = environments.get(seg[1] + "/" + seg[3]);
        if (env == null) {
          notFound(ex, method, route);
          return;
        }
        if (route.endsWith("apiKey")) {
          String expiry = query.get("expiry");
          if (expiry != null && !expiry.isEmpty()) {
            env.oldSdkKeys.put(env.apiKey, Long.parseLong(expiry));
          }
          env.apiKey = "sdk-" + uuid();
        } else {
          env.mobileKey = "mob-" + uuid();
        }
        reply(ex, method, route, 200, environmentRep(env));
      }
      case "POST /sdk-keys" -> createSdkKey(ex, method, route, seg, body, now);
      case "GET /sdk-keys/{key}" -> {
        SdkKey k = liveSdkKey(seg, now);
        if (k == null) {
          notFound(ex, method, route);
          return;
        }
        reply(ex, method, route, 200, sdkKeyRep(k));
      }
      case "PATCH /sdk-keys/{key}" -> {
        SdkKey k = liveSdkKey(seg, now);
        if (k == null) {
          notFound(ex, method, route);
          return;
        }
        JsonNode patch = HttpReplies.JSON.readTree(body);
        if (patch.has("expiry")) {
          long expiry = patch.get("expiry").asLong();
          if (k.expiry != null && expiry != k.expiry && !rules.clearableExpiry) {
            reply(ex, method, route, 400, Map.of("code", "invalid_request", "message",
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
        reply(ex, method, route, 200, sdkKeyRep(k));
      }
      case "DELETE /sdk-keys/{key}" -> {
        SdkKey k = sdkKeys.remove(seg[1] + "/" + seg[3] + "/" + seg[5]);
        if (k == null) {
          notFound(ex, method, route);
          return;
        }
        tombstones.add(seg[1] + "/" + seg[3] + "/" + seg[5]);
        count(method, route, 204);
        HttpReplies.empty(ex, 204);
      }
      case "POST /tokens" -> createToken(ex, method, route, body, now);
      case "GET /tokens" -> {
        int limit = Integer.parseInt(query.getOrDefault("limit", "25"));
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        List<Object> items = tokens.values().stream().skip(offset).limit(limit).map(t -> (Object) tokenRep(t, false))
            .toList();
        reply(ex, method, route, 200, Map.of("items", items, "totalCount", tokens.size()));
      }
      case "GET /tokens/{id}" -> {
        Token t = tokens.get(seg[1]);
        if (t == null) {
          notFound(ex, method, route);
          return;
        }
        reply(ex, method, route, 200, tokenRep(t, false));
      }
      case "PATCH /tokens/{id}" -> {
        Token t = tokens.get(seg[1]);
        if (t == null) {
          notFound(ex, method, route);
          return;
        }
        JsonNode patch = HttpReplies.JSON.readTree(body);
        if (!patch.isArray() && !rules.mergePatchTokens) {
          reply(ex, method, route, 400, Map.of("code", "invalid_request", "message",
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
        reply(ex, method, route, 200, tokenRep(t, false));
      }
      case "POST /tokens/{id}/reset" -> {
        Token t = tokens.get(seg[1]);
        if (t == null) {
          notFound(ex, method, route);
          return;
        }
        String expiry = query.get("expiry");
        if (expiry != null && !expiry.isEmpty()) {
          // each replaced secret keeps its own expiry (the reading chosen in docs/integrations/vendor-apis.md)
          t.oldSecrets.put(t.secret, Long.parseLong(expiry));
        }
        t.secret = "api-" + uuid();
        reply(ex, method, route, 200, tokenRep(t, true));
      }
      case "DELETE /tokens/{id}" -> {
        if (tokens.remove(seg[1]) == null) {
          notFound(ex, method, route);
          return;
        }
        count(method, route, 204);
        HttpReplies.empty(ex, 204);
      }
      default -> notFound(ex, method, route);
    }
  }

  private void createSdkKey(HttpExchange ex, String method, String route, String[] seg, byte[] body, long now)
      throws IOException {
    Environment env = environments.get(seg[1] + "/" + seg[3]);
    if (env == null) {
      notFound(ex, method, route);
      return;
    }
    JsonNode req = HttpReplies.JSON.readTree(body);
    String key = req.path("key").asText("");
    String kind = req.path("kind").asText("");
    if (key.isEmpty() || !key.matches("[a-z0-9._-]+") || !(kind.equals("sdk") || kind.equals("mobile"))) {
      reply(ex, method, route, 400, Map.of("code", "invalid_request", "message",
          "key (lower case letters, digits, '.', '_', '-') and kind (sdk or mobile) are required"));
      return;
    }
    String id = seg[1] + "/" + seg[3] + "/" + key;
    if (sdkKeys.containsKey(id) || tombstones.contains(id) && !rules.reuseDeletedIds) {
      reply(ex, method, route, 409, Map.of("code", "conflict", "message", "SDK key already exists"));
      return;
    }
    if (!rules.multipleSdkKeys) {
      reply(ex, method, route, rules.planRefusalStatus, Map.of("code", "forbidden", "message",
          "Your plan allows one " + kind + " key per environment; more need an Enterprise or Guardian plan"));
      return;
    }
    SdkKey k = new SdkKey();
    k.key = key;
    k.project = seg[1];
    k.environment = seg[3];
    k.name = req.path("name").asText(key);
    k.kind = kind;
    k.value = (kind.equals("sdk") ? "sdk-" : "mob-") + uuid();
    k.description = req.path("description").asText(null);
    k.expiry = req.has("expiry") ? req.get("expiry").asLong() : null;
    k.createdAt = now;
    sdkKeys.put(id, k);
    if (dropCreateAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      count(method, route, 0);
      ex.close(); // the key exists; the answer is lost
      return;
    }
    reply(ex, method, route, 201, sdkKeyRep(k));
  }

  private void createToken(HttpExchange ex, String method, String route, byte[] body, long now) throws IOException {
    JsonNode req = HttpReplies.JSON.readTree(body);
    Token t = new Token();
    t.id = hex(12);
    t.name = req.path("name").asText("");
    t.description = req.path("description").asText(null);
    t.role = req.path("role").asText(null);
    req.path("customRoleIds").forEach(r -> t.customRoleIds.add(r.asText()));
    t.inlineRole = req.get("inlineRole");
    t.serviceToken = req.path("serviceToken").asBoolean(false);
    t.defaultApiVersion = req.path("defaultApiVersion").asInt(0);
    if (t.role == null && t.customRoleIds.isEmpty() && (t.inlineRole == null || t.inlineRole.isEmpty())) {
      reply(ex, method, route, 400, Map.of("code", "invalid_request", "message",
          "a role, customRoleIds or inlineRole is required"));
      return;
    }
    t.secret = "api-" + uuid();
    t.createdAt = now;
    tokens.put(t.id, t);
    if (dropCreateAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      count(method, route, 0);
      ex.close();
      return;
    }
    reply(ex, method, route, 201, tokenRep(t, true));
  }

  private SdkKey liveSdkKey(String[] seg, long now) {
    SdkKey k = sdkKeys.get(seg[1] + "/" + seg[3] + "/" + seg[5]);
    return k == null || k.expiry != null && k.expiry <= now ? null : k;
  }

  private Token tokenOf(String secret) {
    long now = clock.millis();
    synchronized (lock) {
      for (Token t : tokens.values()) {
        Long until = t.oldSecrets.get(secret);
        if (secret.equals(t.secret) || until != null && until > now) {
          return t;
        }
      }
      return null;
    }
  }

  private static Map<String, Object> environmentRep(Environment env) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("_id", env.id);
    m.put("key", env.key);
    m.put("name", env.name);
    m.put("apiKey", env.apiKey);
    m.put("mobileKey", env.mobileKey);
    return m;
  }

  private static Map<String, Object> sdkKeyRep(SdkKey k) {
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

  private static Map<String, Object> tokenRep(Token t, boolean whole) {
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

  private void notFound(HttpExchange ex, String method, String route) throws IOException {
    reply(ex, method, route, 404, Map.of("code", "not_found", "message", "Not found"));
  }

  private void reply(HttpExchange ex, String method, String route, int status, Object body) throws IOException {
    count(method, route, status);
    HttpReplies.json(ex, status, body);
  }

  private void count(String method, String route, int status) {
    counts.merge(method + " " + route + " " + status, 1, Integer::sum);
  }

  private String uuid() {
    return java.util.UUID.randomUUID().toString();
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
