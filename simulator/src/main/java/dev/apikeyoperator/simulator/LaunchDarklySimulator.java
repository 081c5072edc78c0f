package dev.apikeyoperator.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
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
  final LaunchDarklyRules rules = new LaunchDarklyRules();
  private final String adminToken;
  private final EmbeddedHttpServer server;
  final Map<String, Environment> environments = new LinkedHashMap<>();
  private final LaunchDarklySdkKeys sdkKeys = new LaunchDarklySdkKeys(this);
  private final LaunchDarklyTokens tokens = new LaunchDarklyTokens(this);
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private final AtomicInteger rateLimitNext = new AtomicInteger();
  final AtomicInteger dropCreateAnswers = new AtomicInteger();
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
      return sdkKeys.works(value, now);
    }
  }

  /** Whether an access token secret works now. */
  public boolean tokenWorks(String secret) {
    synchronized (lock) {
      return secret.equals(adminToken) || tokens.bySecret(secret, clock.millis()) != null;
    }
  }

  /** The live SDK keys of the SDK Keys API (not expired), as {key, kind, expiry or ""}. */
  public List<List<String>> sdkKeys() {
    synchronized (lock) {
      return sdkKeys.list();
    }
  }

  /** The tokens, as {id, name}. */
  public List<List<String>> tokens() {
    synchronized (lock) {
      return tokens.list();
    }
  }

  /** The expiry (epoch ms) of the SDK key with this value, or null. */
  public Long sdkKeyExpiry(String value) {
    synchronized (lock) {
      return sdkKeys.expiryOf(value);
    }
  }

  /** How many PATCHes set the expiry of the SDK key with this value, deleted or not. */
  public int expiryPatches(String value) {
    return sdkKeys.expiryPatches(value);
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
    if (route.startsWith("/sdk-keys")) {
      sdkKeys.answer(ex, method, route, seg, body, now);
      return;
    }
    if (route.startsWith("/tokens")) {
      tokens.answer(ex, method, route, seg, body, query, now);
      return;
    }
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
      default -> notFound(ex, method, route);
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

  void notFound(HttpExchange ex, String method, String route) throws IOException {
    reply(ex, method, route, 404, Map.of("code", "not_found", "message", "Not found"));
  }

  void reply(HttpExchange ex, String method, String route, int status, Object body) throws IOException {
    count(method, route, status);
    HttpReplies.json(ex, status, body);
  }

  void count(String method, String route, int status) {
    counts.merge(method + " " + route + " " + status, 1, Integer::sum);
  }

  String uuid() {
    return java.util.UUID.randomUUID().toString();
  }

  String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
