package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful, in-process fake of the Unleash Admin API's token endpoints and of what an SDK sees, on 127.0.0.1,
 * built to answer as the real server does (the contract suite runs against both, see UnleashContract in the
 * operator's tests): {@code POST/GET /api/admin/api-tokens}, {@code GET /api/admin/api-tokens/{name}},
 * {@code PUT/DELETE /api/admin/api-tokens/{secret}}, {@code GET /api/client/features} (backend tokens) and
 * {@code GET /api/frontend} (frontend tokens), {@code GET /health}. Unlike the real server it does not cache tokens:
 * a deleted or expired token is refused at once. Thread-safe.
 */
public final class UnleashSimulator implements AutoCloseable {
  /** The admin token every simulator starts with. */
  public static final String DEFAULT_ADMIN_TOKEN = "*:*.unleash-sim-admin-0000000000000000000000000000";

  private static final Logger LOG = LoggerFactory.getLogger(UnleashSimulator.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A matched route: the operation name used in stats (no ids), the allowed methods, the path parameter. */
  private record Route(String operation, List<String> methods, String param) implements ApiResponder.Route {}

  private final List<UnleashSimToken> tokens = new CopyOnWriteArrayList<>();
  private final Set<String> projects = new LinkedHashSet<>(List.of("default"));
  private final Set<String> environments = new LinkedHashSet<>(List.of("development", "production"));
  private final Faults faults = new Faults();
  private final RequestStats stats = new RequestStats();
  private final ApiResponder responder;
  private final EmbeddedHttpServer server;
  private final Clock clock;
  private int createCount;

  private UnleashSimulator(int port, Clock clock) throws IOException {
    this.clock = clock;
    this.responder = new ApiResponder(faults, new RateLimiter(faults), stats, UnleashSimulator::error, false, LOG);
    tokens.add(new UnleashSimToken(DEFAULT_ADMIN_TOKEN, "admin", "admin", "*", List.of("*"), null, clock.instant()));
    this.server = new EmbeddedHttpServer("unleash-sim", port, Map.of("/api", this::handle, "/health", this::health),
        UnleashSimulator::error);
  }

  /** Starts a simulator on {@code port} of 127.0.0.1 (0 = ephemeral). */
  public static UnleashSimulator start(int port) {
    return start(port, Clock.systemUTC());
  }

  /** As {@link #start(int)}, with the clock that decides when a token has expired. */
  public static UnleashSimulator start(int port, Clock clock) {
    try {
      return new UnleashSimulator(port, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Unleash simulator on port " + port, e);
    }
  }

  /** {@code http://127.0.0.1:<port>}: the server's root, what a provider's baseUrl names. */
  public String baseUrl() {
    return server.url("");
  }

  public int port() {
    return server.port();
  }

  public String adminToken() {
    return DEFAULT_ADMIN_TOKEN;
  }

  /** Live, mutable faults (down, errorRate, latency, dropped create answers, rate limit). */
  public Faults faults() {
    return faults;
  }

  /** Every token that exists (deleted ones are gone, expired ones are listed), the admin token included. */
  public List<UnleashSimToken> tokens() {
    return List.copyOf(tokens);
  }

  /** Tokens whose name starts with {@code prefix}. */
  public List<UnleashSimToken> tokensNamed(String prefix) {
    return tokens.stream().filter(t -> t.tokenName().startsWith(prefix)).toList();
  }

  /** Number of {@code POST /api/admin/api-tokens} that created a token (dropped answers included). */
  public synchronized int createCount() {
    return createCount;
  }

  /** Request counts by "METHOD /operation status". */
  public Map<String, Integer> requestCounts() {
    return stats.snapshot();
  }

  /** Adds a project (Unleash refuses tokens for unknown projects). */
  public synchronized void addProject(String name) {
    projects.add(name);
  }

  /** Creates a token as someone in the Unleash UI would, and returns it. */
  public synchronized UnleashSimToken createOutside(String tokenName, String type, String environment,
      List<String> tokenProjects) {
    UnleashSimToken t = new UnleashSimToken(secret(tokenProjects, environment), tokenName, storedType(type),
        environment, tokenProjects, null, clock.instant());
    tokens.add(t);
    return t;
  }

  /** Deletes a token as someone in the Unleash UI would (idempotent). */
  public void deleteOutside(String secret) {
    tokens.removeIf(t -> t.secret().equals(secret));
  }

  /** Whether an SDK with this token would be served at {@code GET /api/client/features} or {@code /api/frontend}. */
  public boolean works(String secret) {
    return tokens.stream().anyMatch(t -> t.secret().equals(secret) && t.worksAt(clock.instant()));
  }

  @Override
  public void close() {
    server.close();
  }

  // ---------------------------------------------------------------- HTTP

  /** Unleash's error body: {@code {"name":...,"message":...,"details":[{"message":...}]}}. */
  static void error(HttpExchange ex, int status, String message) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", switch (status) {
      case 400 -> "BadDataError";
      case 401 -> "UnauthorizedError";
      case 403 -> "ForbiddenError";
      case 404 -> "NotFoundError";
      default -> "UnknownError";
    });
    m.put("message", message);
    m.put("details", List.of(Map.of("message", message)));
    HttpReplies.json(ex, status, m);
  }

  private void health(HttpExchange ex) throws IOException {
    ex.getRequestBody().readAllBytes();
    HttpReplies.json(ex, 200, Map.of("health", "GOOD"));
  }

  private void handle(HttpExchange ex) throws IOException {
    responder.serve(ex, "/api", UnleashSimulator::route, this::serve);
  }

  private static Route route(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String tokensPath = "/admin/api-tokens";
    if (p.equals(tokensPath)) {
      return new Route("/admin/api-tokens", List.of("GET", "POST"), null);
    }
    if (p.startsWith(tokensPath + "/") && p.indexOf('/', tokensPath.length() + 1) < 0) {
      return new Route("/admin/api-tokens/{id}", List.of("GET", "PUT", "DELETE"),
          HttpReplies.decode(p.substring(tokensPath.length() + 1)));
    }
    if (p.equals("/client/features")) {
      return new Route("/client/features", List.of("GET"), null);
    }
    if (p.equals("/frontend")) {
      return new Route("/frontend", List.of("GET"), null);
    }
    return null;
  }

  private void serve(HttpExchange ex, String method, Route route, String operation, byte[] body)
      throws IOException, ApiError {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    UnleashSimToken caller = auth == null ? null : tokens.stream()
        .filter(t -> t.secret().equals(auth.strip()) && t.worksAt(clock.instant())).findFirst().orElse(null);
    switch (route.operation()) {
      case "/client/features" -> {
        sdkCaller(caller, "client");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 2);
        m.put("features", List.of());
        m.put("query", Map.of("project", caller.projects(), "environment", caller.environment()));
        responder.reply(ex, operation, 200, () -> HttpReplies.json(ex, 200, m));
        return;
      }
      case "/frontend" -> {
        sdkCaller(caller, "frontend");
        responder.reply(ex, operation, 200, () -> HttpReplies.json(ex, 200, Map.of("toggles", List.of())));
        return;
      }
      default -> { }
    }
    if (caller == null) {
      throw new ApiError(401, "You must log in to use Unleash.");
    }
    if (!caller.type().equals("admin")) {
      throw new ApiError(403, "invalid token: expected a different token type for this endpoint");
    }
    switch (method + " " + route.operation()) {
      case "GET /admin/api-tokens" -> list(ex, operation, tokens());
      case "GET /admin/api-tokens/{id}" ->
          list(ex, operation, tokens.stream().filter(t -> t.tokenName().equals(route.param())).toList());
      case "POST /admin/api-tokens" -> create(ex, operation, body);
      case "PUT /admin/api-tokens/{id}" -> {
        Instant at = expiresAt(ApiResponder.jsonObject(body), true);
        tokens.replaceAll(t -> t.secret().equals(route.param()) ? t.withExpiresAt(at) : t);
        responder.reply(ex, operation, 200, () -> HttpReplies.empty(ex, 200));
      }
      case "DELETE /admin/api-tokens/{id}" -> {
        // like Unleash: 200 whether or not the token existed
        deleteOutside(route.param());
        responder.reply(ex, operation, 200, () -> HttpReplies.empty(ex, 200));
      }
      default -> throw new ApiError(404, "Not Found");
    }
  }

  /** An SDK call: 401 without a working token, 403 for a token of another type (as Unleash answers). */
  private static void sdkCaller(UnleashSimToken caller, String type) throws ApiError {
    if (caller == null) {
      throw new ApiError(401, "This endpoint requires an API token. Please add an authorization header to your "
          + "request with a valid token");
    }
    if (!caller.type().equals(type)) {
      throw new ApiError(403, "invalid token: expected a different token type for this endpoint");
    }
  }

  private void list(HttpExchange ex, String operation, List<UnleashSimToken> listed) throws IOException {
    List<Object> out = new ArrayList<>();
    listed.forEach(t -> out.add(json(t, true)));
    responder.reply(ex, operation, 200, () -> HttpReplies.json(ex, 200, Map.of("tokens", out)));
  }

  private void create(HttpExchange ex, String operation, byte[] body) throws IOException, ApiError {
    JsonNode root = ApiResponder.jsonObject(body);
    String tokenName = text(root, "tokenName");
    if (tokenName == null || tokenName.isBlank()) {
      throw new ApiError(400, "Request validation failed: the `/body/tokenName` property is required");
    }
    String type = text(root, "type");
    if (type == null || !List.of("client", "backend", "frontend").contains(type.toLowerCase(Locale.ROOT))) {
      throw new ApiError(400, "Request validation failed: the `/body/type` property must be client, backend or "
          + "frontend");
    }
    String environment = text(root, "environment");
    List<String> tokenProjects = new ArrayList<>();
    JsonNode list = root.get("projects");
    if (list != null && list.isArray()) {
      list.forEach(p -> tokenProjects.add(p.asText()));
    } else if (text(root, "project") != null) {
      tokenProjects.add(text(root, "project"));
    }
    if (tokenProjects.isEmpty()) {
      tokenProjects.add("*");
    }
    Instant expiresAt = expiresAt(root, false);
    UnleashSimToken token;
    synchronized (this) {
      if (environment == null || !environments.contains(environment)) {
        throw new ApiError(400, "Request validation failed: your request body or params contain invalid data: "
            + "Environment=" + environment + " does not exist");
      }
      for (String p : tokenProjects) {
        if (!p.equals("*") && !projects.contains(p)) {
          throw new ApiError(400, "Request validation failed: your request body or params contain invalid data: "
              + "Project=" + p + " does not exist");
        }
      }
      token = new UnleashSimToken(secret(tokenProjects, environment), tokenName, storedType(type), environment,
          tokenProjects, expiresAt, clock.instant());
      tokens.add(token);
      createCount++;
    }
    LOG.info("created a {} token", token.type());
    if (responder.dropCreateResponse(ex, operation)) {
      return;
    }
    Map<String, Object> answer = json(token, false);
    answer.put("type", type.toLowerCase(Locale.ROOT)); // the create answer echoes the type asked for
    responder.reply(ex, operation, 201, () -> HttpReplies.json(ex, 201, answer));
  }

  private static Map<String, Object> json(UnleashSimToken t, boolean listed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("secret", t.secret());
    m.put("tokenName", t.tokenName());
    m.put("type", t.type());
    m.put("project", t.projects().size() == 1 ? t.projects().get(0) : "[]");
    m.put("projects", t.projects());
    m.put("environment", t.environment());
    if (listed || t.expiresAt() != null) {
      m.put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
    }
    m.put("createdAt", t.createdAt().toString());
    m.put("alias", null);
    m.put("secure", false);
    return m;
  }

  private static Instant expiresAt(JsonNode root, boolean required) throws ApiError {
    String text = text(root, "expiresAt");
    if (text == null) {
      if (required) {
        throw new ApiError(400, "Request validation failed: the `/body/expiresAt` property is required");
      }
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ApiError(400, "Request validation failed: `/body/expiresAt` must be a date-time");
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
  }

  private static String storedType(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    return t.equals("backend") ? "client" : t;
  }

  /** {@code <project>:<environment>.<56 hex>}, as Unleash makes them ({@code *} or {@code []} for many projects). */
  private static String secret(List<String> tokenProjects, String environment) {
    byte[] bytes = new byte[28];
    RANDOM.nextBytes(bytes);
    String project = tokenProjects.size() == 1 ? tokenProjects.get(0) : "[]";
    return project + ":" + environment + "." + HexFormat.of().formatHex(bytes);
  }
}
