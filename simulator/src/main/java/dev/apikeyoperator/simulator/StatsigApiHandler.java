package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Statsig Console API keys routes under {@code /console/v1}. Never logs key values: requests are logged by
 * operation only.
 */
final class StatsigApiHandler {

  static final String PREFIX = "/console/v1";
  static final int MAX_LIMIT = 100;
  static final int MAX_DESCRIPTION = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(StatsigApiHandler.class);

  /** A matched route: the operation name used in stats (no ids), the allowed methods, the key id. */
  private record Route(String operation, List<String> methods, String id) implements ApiResponder.Route {}

  private final StatsigState state;
  private final StatsigRules rules;
  private final MutationLimiter mutationLimiter;
  private final boolean apiVersionRequired;
  private final ApiResponder responder;

  StatsigApiHandler(StatsigState state, Faults faults, StatsigRules rules, RateLimiter rateLimiter, MutationLimiter mutationLimiter,
                    RequestStats stats, boolean apiVersionRequired) {
    this.state = state;
    this.rules = rules;
    this.mutationLimiter = mutationLimiter;
    this.apiVersionRequired = apiVersionRequired;
    // no X-RateLimit-* headers: Statsig documents none
    this.responder = new ApiResponder(faults, rateLimiter, stats, StatsigApiHandler::error, false, LOG);
  }

  /** {"status":status,"message":message}. */
  static void error(HttpExchange ex, int status, String message) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("message", message);
    HttpReplies.json(ex, status, m);
  }

  void handle(HttpExchange ex) throws IOException {
    responder.serve(ex, PREFIX, StatsigApiHandler::route, this::serve);
  }

  /** A request that passed the faults, on a known route with an allowed method. */
  private void serve(HttpExchange ex, String method, Route route, String operation, byte[] body)
      throws IOException, ApiError {
    switch (state.authenticate(header(ex, "STATSIG-API-KEY"))) {
      case UNKNOWN_OR_INACTIVE -> throw new ApiError(401,
          "STATSIG-API-KEY is not an active console API key");
      case MISSING_SCOPE -> throw new ApiError(403,
          "Forbidden: the console API key needs the can_access_keys scope");
      default -> { }
    }
    String version = header(ex, "STATSIG-API-VERSION");
    if (version == null || version.isEmpty()) {
      if (apiVersionRequired) {
        throw new ApiError(400, "STATSIG-API-VERSION header is required (" + StatsigSimulatorConfig.API_VERSION + ")");
      }
    } else if (!StatsigSimulatorConfig.API_VERSION.equals(version)) {
      throw new ApiError(400, "Unsupported STATSIG-API-VERSION: " + version
          + " (supported: " + StatsigSimulatorConfig.API_VERSION + ")");
    }
    if (!"GET".equals(method)) {
      MutationLimiter.Decision d = mutationLimiter.acquire(rules.isRejectedAttemptsCount());
      if (!d.allowed()) {
        if (rules.isRateLimitRetryAfter()) {
          ex.getResponseHeaders().set("Retry-After", Long.toString(d.retryAfterSeconds()));
        }
        throw new ApiError(429, "Too Many Requests: the project's Console API rate limit was exceeded");
      }
    }
    switch (method + " " + route.operation()) {
      case "GET /keys" -> list(ex, operation);
      case "POST /keys" -> create(ex, operation, body);
      case "GET /keys/{id}" -> {
        StatsigSimKey k = found(route);
        responder.reply(ex, operation, 200, () -> data(ex, 200, "Key read successfully", k));
      }
      case "PATCH /keys/{id}" -> update(ex, operation, route.id(), body);
      case "DELETE /keys/{id}" -> {
        if (state.delete(route.id()) == null) {
          throw notFound();
        }
        LOG.info("deleted a key");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message", "Key deleted successfully");
        responder.reply(ex, operation, 200, () -> HttpReplies.json(ex, 200, m));
      }
      case "PATCH /keys/{id}/rotate" -> {
        StatsigSimKey fresh = state.rotate(route.id());
        if (fresh == null) {
          throw notFound();
        }
        LOG.info("rotated a {} key", fresh.type());
        responder.reply(ex, operation, 200, () -> data(ex, 200, "Key rotated successfully", fresh));
      }
      case "PATCH /keys/{id}/deactivate" -> {
        StatsigSimKey k = state.deactivate(route.id());
        if (k == null) {
          throw notFound();
        }
        LOG.info("deactivated a {} key", k.type());
        responder.reply(ex, operation, 200, () -> data(ex, 200, "Key deactivated successfully", k));
      }
      default -> throw new ApiError(404, "Not Found");
    }
  }

  private static Route route(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/keys")) {
      return new Route("/keys", List.of("GET", "POST"), null);
    }
    if (!p.startsWith("/keys/")) {
      return null;
    }
    String[] parts = p.substring("/keys/".length()).split("/", -1);
    if (parts[0].isEmpty()) {
      return null;
    }
    String id = HttpReplies.decode(parts[0]);
    if (parts.length == 1) {
      return new Route("/keys/{id}", List.of("GET", "PATCH", "DELETE"), id);
    }
    if (parts.length == 2 && (parts[1].equals("rotate") || parts[1].equals("deactivate"))) {
      return new Route("/keys/{id}/" + parts[1], List.of("PATCH"), id);
    }
    return null;
  }

  private static String header(HttpExchange ex, String name) {
    String v = ex.getRequestHeaders().getFirst(name);
    return v == null ? null : v.trim();
  }

  private static ApiError notFound() {
    return new ApiError(404, "Key not found");
  }

  private StatsigSimKey found(Route route) throws ApiError {
    StatsigSimKey k = state.visible(route.id());
    if (k == null) {
      throw notFound();
    }
    return k;
  }

  static Map<String, Object> keyData(StatsigSimKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", k.key());
    m.put("type", k.type());
    m.put("description", k.description());
    m.put("scopes", k.scopes());
    m.put("environments", k.environments());
    m.put("primaryTargetApp", k.targetApp());
    m.put("secondaryTargetApps", k.secondaryTargetApps());
    m.put("status", k.status());
    return m;
  }

  private static void data(HttpExchange ex, int status, String message, StatsigSimKey k) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message", message);
    m.put("data", keyData(k));
    HttpReplies.json(ex, status, m);
  }

  // ---------------------------------------------------------------- GET /keys

  private void list(HttpExchange ex, String operation) throws IOException, ApiError {
    Map<String, String> q = HttpReplies.query(ex);
    int limit = ApiResponder.intParam(q, "limit", rules.getDefaultListLimit());
    int page = ApiResponder.intParam(q, "page", 1);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ApiError(400, "limit must be between 1 and " + MAX_LIMIT);
    }
    if (page < 1) {
      throw new ApiError(400, "page must be >= 1");
    }
    String environment = emptyToNull(q.get("environment"));
    String primaryTargetApp = emptyToNull(q.get("primaryTargetApp"));
    List<Map<String, Object>> matching = new ArrayList<>();
    if (rules.isOtherKeyTypesListed() && environment == null && primaryTargetApp == null) {
      matching.add(keylessEntry("SCIM", "SCIM provisioning"));
      matching.add(keylessEntry("ORG", "Organization key"));
    }
    for (StatsigSimKey k : state.listed()) {
      if (environment != null && !k.environments().contains(environment)) {
        continue;
      }
      if (primaryTargetApp != null && !primaryTargetApp.equals(k.targetApp())) {
        continue;
      }
      matching.add(keyData(k));
    }
    List<Object> data = new ArrayList<>();
    long from = (long) (page - 1) * limit;
    for (long i = from; i < matching.size() && i < from + limit; i++) {
      data.add(matching.get((int) i));
    }
    StringBuilder filters = new StringBuilder();
    if (environment != null) {
      filters.append("&environment=").append(URLEncoder.encode(environment, StandardCharsets.UTF_8));
    }
    if (primaryTargetApp != null) {
      filters.append("&primaryTargetApp=").append(URLEncoder.encode(primaryTargetApp, StandardCharsets.UTF_8));
    }
    Map<String, Object> pagination = new LinkedHashMap<>();
    pagination.put("itemsPerPage", limit);
    pagination.put("pageNumber", page);
    pagination.put("totalItems", matching.size());
    pagination.put("nextPage", from + limit < matching.size() ? pageLink(page + 1, limit, filters) : null);
    pagination.put("previousPage", page > 1 ? pageLink(page - 1, limit, filters) : null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message", "Keys listed successfully");
    m.put("data", data);
    m.put("pagination", pagination);
    responder.reply(ex, operation, 200, () -> HttpReplies.json(ex, 200, m));
  }

  /** A key of another type that the spec allows in lists: {@code key} is null (nullable in the OpenAPI spec). */
  private static Map<String, Object> keylessEntry(String type, String description) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", null);
    m.put("type", type);
    m.put("description", description);
    m.put("scopes", List.of());
    m.put("environments", List.of());
    m.put("primaryTargetApp", null);
    m.put("secondaryTargetApps", List.of());
    m.put("status", StatsigSimKey.ACTIVE);
    return m;
  }

  private static String pageLink(int page, int limit, CharSequence filters) {
    return PREFIX + "/keys?page=" + page + "&limit=" + limit + filters;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  // ---------------------------------------------------------------- POST /keys

  private void create(HttpExchange ex, String operation, byte[] body) throws IOException, ApiError {
    JsonNode root = ApiResponder.jsonObject(body);
    JsonNode typeNode = root.get("type");
    if (typeNode == null || !typeNode.isTextual() || !StatsigState.TYPES.contains(typeNode.asText())) {
      throw new ApiError(400, "type must be one of SERVER, CLIENT, CONSOLE");
    }
    String type = typeNode.asText();
    String description = description(root.get("description"));
    List<String> scopes = scopes(type, stringList(root, "scopes"));
    List<String> environments = stringList(root, "environments");
    String targetApp = optionalString(root, "targetAppID");
    List<String> secondary = stringList(root, "secondaryTargetAppIDs");

    StatsigSimKey k = state.create(type, description, scopes, environments, targetApp, secondary);
    LOG.info("created a {} key", type);
    if (responder.dropCreateResponse(ex, operation)) {
      return;
    }
    int status = rules.isCreateAnswers200() ? 200 : 201;
    responder.reply(ex, operation, status, () -> data(ex, status, "Key created successfully", k));
  }

  private static String description(JsonNode n) throws ApiError {
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw new ApiError(400, "description is required");
    }
    if (n.asText().length() > MAX_DESCRIPTION) {
      throw new ApiError(400, "description must be at most " + MAX_DESCRIPTION + " characters");
    }
    return n.asText();
  }

  /** Console-only scopes ({@code can_access_keys}, {@code omni_*}) are refused on SERVER and CLIENT keys. */
  private static List<String> scopes(String type, List<String> scopes) throws ApiError {
    if (!"CONSOLE".equals(type)) {
      for (String s : scopes) {
        if (s.equals(StatsigState.SCOPE_CAN_ACCESS_KEYS) || s.startsWith("omni_")) {
          throw new ApiError(400, "scope " + s + " is only allowed on CONSOLE keys");
        }
      }
    }
    return scopes;
  }

  /** A list of non-blank strings; absent or null = empty; duplicates dropped. */
  private static List<String> stringList(JsonNode root, String field) throws ApiError {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new ApiError(400, field + " must be an array of strings");
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (JsonNode e : n) {
      if (!e.isTextual() || e.asText().isBlank()) {
        throw new ApiError(400, field + " must be an array of non-empty strings");
      }
      out.add(e.asText());
    }
    return List.copyOf(out);
  }

  private static String optionalString(JsonNode root, String field) throws ApiError {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new ApiError(400, field + " must be a string");
    }
    return n.asText().isEmpty() ? null : n.asText();
  }

  // ---------------------------------------------------------------- PATCH /keys/{id}

  private void update(HttpExchange ex, String operation, String id, byte[] body) throws IOException, ApiError {
    JsonNode root = ApiResponder.jsonObject(body);
    StatsigSimKey current = state.visible(id);
    if (current == null) {
      throw notFound();
    }
    JsonNode typeNode = root.get("type");
    if (typeNode != null && !typeNode.isNull() && !current.type().equals(typeNode.asText())) {
      throw new ApiError(400, "type cannot be changed");
    }
    // validate everything before changing anything
    String description = root.has("description") ? description(root.get("description")) : null;
    List<String> scopes = root.has("scopes") ? scopes(current.type(), stringList(root, "scopes")) : null;
    List<String> environments = root.has("environments") ? stringList(root, "environments") : null;
    boolean hasTarget = root.has("targetAppID");
    String targetApp = hasTarget ? optionalString(root, "targetAppID") : null;
    List<String> secondary = root.has("secondaryTargetAppIDs") ? stringList(root, "secondaryTargetAppIDs") : null;

    StatsigSimKey updated = state.update(id, k -> new StatsigSimKey(k.key(), k.type(),
        description != null ? description : k.description(),
        scopes != null ? scopes : k.scopes(),
        environments != null ? environments : k.environments(),
        hasTarget ? targetApp : k.targetApp(),
        secondary != null ? secondary : k.secondaryTargetApps(),
        k.status(), k.createdAt()));
    if (updated == null) {
      throw notFound();
    }
    LOG.info("updated a {} key", updated.type());
    if (rules.isUpdateAnswersFullKey()) {
      responder.reply(ex, operation, 200, () -> data(ex, 200, "Key updated successfully", updated));
      return;
    }
    // the official example answer: no key in data
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("environments", updated.environments());
    data.put("targetAppID", updated.targetApp());
    data.put("secondaryTargetAppIDs", updated.secondaryTargetApps());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message", "Key updated successfully");
    m.put("data", data);
    responder.reply(ex, operation, 200, () -> HttpReplies.json(ex, 200, m));
  }
}
