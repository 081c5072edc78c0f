package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.apikeyoperator.simulator.SimulatorState.Credential;
import dev.apikeyoperator.simulator.SimulatorState.Environment;
import dev.apikeyoperator.simulator.SimulatorState.Project;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FME Admin API under {@code /internal/api/v2}: {@code POST /apiKeys}, {@code DELETE /apiKeys/{idOrKey}},
 * {@code GET /workspaces}, {@code GET /environments/ws/{workspaceId}}.
 *
 * <p>Never logs key values or tokens: requests are logged by operation only.
 */
final class AdminApiHandler {

  static final String PREFIX = "/internal/api/v2";
  static final String GLOBAL = "<<GLOBAL>>";
  static final Set<String> KEY_TYPES = Set.of("admin", "server_side", "client_side");
  static final Set<String> NAME_OPS = Set.of("IS", "STARTS_WITH", "CONTAINS");
  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = 100;
  static final String HARNESS_MIGRATED_MESSAGE =
      "Admin API keys are managed by Harness for this account: use a Harness service account token";

  private static final Logger LOG = LoggerFactory.getLogger(AdminApiHandler.class);

  /** A matched route: the operation name used in stats (no ids), the allowed method, the path parameter. */
  private record Route(String operation, List<String> methods, String parameter) implements ApiResponder.Route {}

  static final String PAYWALL_MESSAGE = "Forbidden by Paywalls";
  static final String WORKSPACE_LIST_ERROR =
      "E11000 duplicate key error collection: split.workspaces index: _id_ dup key (transient)";

  private final SimulatorState state;
  private final Faults faults;
  private final FmeRules rules;
  private final ApiResponder responder;
  private final DirectoryListing directory;

  AdminApiHandler(SimulatorState state, Faults faults, FmeRules rules, RateLimiter rateLimiter, RequestStats stats) {
    this.state = state;
    this.faults = faults;
    this.rules = rules;
    this.responder = new ApiResponder(faults, rateLimiter, stats, HttpReplies::error, true, LOG);
    this.directory = new DirectoryListing(state, faults, rules, responder);
  }

  void handle(HttpExchange ex) throws IOException {
    responder.serve(ex, PREFIX, AdminApiHandler::route, this::serve);
  }

  /** A request that passed the faults, on a known route with its method. */
  private void serve(HttpExchange ex, String method, Route route, String operation, byte[] body)
      throws IOException, ApiError {
    Credential caller = state.credential(token(ex));
    if (caller == null) {
      throw new ApiError(401, "Unauthorized: unknown or revoked credential");
    }
    switch (route.operation()) {
      case "/apiKeys" -> {
        if ("POST".equals(method)) {
          createKey(ex, operation, caller, body);
        } else {
          deleteKey(ex, operation, caller, route.parameter());
        }
      }
      case "/workspaces" -> directory.listWorkspaces(ex, operation, caller);
      case "/environments" -> directory.listEnvironments(ex, operation, caller, route.parameter());
      default -> throw new ApiError(404, "Not Found");
    }
  }

  private static Route route(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/apiKeys")) {
      return new Route("/apiKeys", List.of("POST"), null);
    }
    if (p.startsWith("/apiKeys/")) {
      String rest = p.substring("/apiKeys/".length());
      if (!rest.isEmpty() && !rest.contains("/")) {
        return new Route("/apiKeys", List.of("DELETE"), HttpReplies.decode(rest));
      }
      return null;
    }
    if (p.equals("/workspaces")) {
      return new Route("/workspaces", List.of("GET"), null);
    }
    if (p.startsWith("/environments/ws/")) {
      String rest = p.substring("/environments/ws/".length());
      if (!rest.isEmpty() && !rest.contains("/")) {
        return new Route("/environments", List.of("GET"), HttpReplies.decode(rest));
      }
    }
    return null;
  }

  /** The credential from {@code Authorization: Bearer <token>} or {@code x-api-key: <token>}. */
  private static String token(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null) {
      String a = auth.trim();
      if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String t = a.substring(7).trim();
        if (!t.isEmpty()) {
          return t;
        }
      }
    }
    String apiKey = ex.getRequestHeaders().getFirst("x-api-key");
    return apiKey == null ? null : apiKey.trim();
  }

  // ---------------------------------------------------------------- POST /apiKeys

  private void createKey(HttpExchange ex, String operation, Credential caller, byte[] body)
      throws IOException, ApiError {
    if (!caller.mayManageKeys()) {
      throw new ApiError(403, "Forbidden: the caller needs API_ALL_GRANTED or API_APIKEY to create keys");
    }
    if (caller.isEnvironmentScoped() && !rules.isEnvironmentScopedCreates()) {
      throw new ApiError(403, "Forbidden: an environment-scoped admin key cannot create API keys");
    }
    JsonNode root = ApiResponder.jsonObject(body);
    JsonNode nameNode = root.get("name");
    if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) {
      throw new ApiError(400, "name is required");
    }
    String name = nameNode.asText();
    int maxName = rules.getMaxKeyNameLength();
    if (maxName > 0 && name.length() > maxName) {
      throw new ApiError(400, "name must be at most " + maxName + " characters");
    }
    JsonNode typeNode = root.get("apiKeyType");
    if (typeNode == null || !typeNode.isTextual() || !KEY_TYPES.contains(typeNode.asText())) {
      throw new ApiError(400, "apiKeyType must be one of admin, server_side, client_side");
    }
    String type = typeNode.asText();
    if ("admin".equals(type) && state.harnessMigrated()) {
      // accounts moved to Harness: admin access is a Harness service account now; nothing is created
      throw new ApiError(403, HARNESS_MIGRATED_MESSAGE);
    }
    if ("admin".equals(type) && rules.isPaywallAdminKeys()) {
      // the body seen from the real API: only a message, no code
      responder.reply(ex, operation, 402, () -> HttpReplies.json(ex, 402, Map.of("message", PAYWALL_MESSAGE)));
      return;
    }

    String workspaceId = null;
    JsonNode ws = root.get("workspace");
    if (ws != null && !ws.isNull()) {
      if (!ws.isObject()) {
        throw new ApiError(400, "workspace must be an object {type: workspace, id} or null");
      }
      JsonNode wsType = ws.get("type");
      if (wsType != null && !wsType.isNull() && !"workspace".equals(wsType.asText())) {
        throw new ApiError(400, "workspace.type must be 'workspace'");
      }
      JsonNode wsId = ws.get("id");
      if (wsId == null || !wsId.isTextual() || wsId.asText().isBlank()) {
        throw new ApiError(400, "workspace.id is required");
      }
      workspaceId = wsId.asText();
    }

    List<String> envIds = new ArrayList<>();
    JsonNode envs = root.get("environments");
    if (envs != null && !envs.isNull()) {
      if (!envs.isArray()) {
        throw new ApiError(400, "environments must be an array");
      }
      for (JsonNode e : envs) {
        if (!e.isObject()) {
          throw new ApiError(400, "environments entries must be objects {type: environment, id}");
        }
        JsonNode eType = e.get("type");
        if (eType != null && !eType.isNull() && !"environment".equals(eType.asText())) {
          throw new ApiError(400, "environments[].type must be 'environment'");
        }
        JsonNode eId = e.get("id");
        if (eId == null || !eId.isTextual() || eId.asText().isBlank()) {
          throw new ApiError(400, "environments[].id is required");
        }
        if (envIds.contains(eId.asText())) {
          throw new ApiError(400, "duplicate environment id in environments");
        }
        envIds.add(eId.asText());
      }
    }

    Set<String> roles = new LinkedHashSet<>();
    JsonNode rolesNode = root.get("roles");
    if (rolesNode != null && !rolesNode.isNull()) {
      if (!rolesNode.isArray()) {
        throw new ApiError(400, "roles must be an array of strings");
      }
      for (JsonNode r : rolesNode) {
        if (!r.isTextual() || !Roles.ALL.contains(r.asText())) {
          throw new ApiError(400, "unknown role: " + r.asText() + " (allowed: " + String.join(", ", Roles.ALL) + ")");
        }
        roles.add(r.asText());
      }
    }

    if (!"admin".equals(type)) {
      if (workspaceId == null) {
        throw new ApiError(400, type + " keys need a workspace");
      }
      if (envIds.size() != 1) {
        throw new ApiError(400, type + " keys need exactly one environment");
      }
      if (!roles.isEmpty()) {
        throw new ApiError(400, type + " keys cannot have roles");
      }
    } else {
      if (workspaceId == null && !envIds.isEmpty()) {
        throw new ApiError(400, "environments need a workspace: a global admin key has no environments");
      }
      if (roles.isEmpty()) {
        roles.add(Roles.API_ALL_GRANTED); // vendor behaviour: no roles means all granted
      }
    }

    // existence: unknown workspace or environment -> 404
    if (workspaceId != null) {
      Project project = state.projectById(workspaceId);
      if (project == null) {
        throw new ApiError(404, "Workspace not found: " + workspaceId);
      }
      for (String envId : envIds) {
        if (project.environment(envId) == null) {
          throw new ApiError(404, "Environment " + envId + " not found in workspace " + workspaceId);
        }
      }
    }

    // escalation: roles
    if (!caller.hasAllGranted()) {
      for (String r : roles) {
        if (!caller.roles().contains(r)) {
          throw new ApiError(403, "Forbidden: cannot grant role " + r + " that the caller does not hold");
        }
      }
    }
    // escalation: scope (global > project > environment)
    if (!caller.isGlobal()) {
      if (workspaceId == null || !workspaceId.equals(caller.workspaceId())) {
        throw new ApiError(403, "Forbidden: cannot create a key with a broader scope than the caller's");
      }
      if (caller.isEnvironmentScoped()
          && (envIds.isEmpty() || !caller.environmentIds().containsAll(envIds))) {
        throw new ApiError(403, "Forbidden: cannot create a key with a broader scope than the caller's");
      }
    }

    SimKey key = state.createKey(name, type, workspaceId, envIds, List.copyOf(roles));
    LOG.info("created {} key '{}' (id {})", type, name, key.id());

    if (responder.dropCreateResponse(ex, operation)) {
      return;
    }
    responder.reply(ex, operation, 201, () -> HttpReplies.json(ex, 201, createResponse(key, caller)));
  }

  private Map<String, Object> createResponse(SimKey key, Credential caller) {
    Map<String, Object> m = new LinkedHashMap<>();
    boolean capitalised = rules.isCapitalisedTypes();
    String envType = capitalised ? "Environment" : "environment";
    m.put("organization", ref(capitalised ? "Organization" : "organization", state.organizationId()));
    List<Object> envs = new ArrayList<>();
    if (key.workspaceId() == null) {
      envs.add(ref(envType, GLOBAL));
    } else {
      key.environmentIds().forEach(id -> envs.add(ref(envType, id)));
    }
    m.put("environments", envs);
    m.put("name", key.name());
    m.put("createdBy", ref(caller.principalType(), caller.principalId()));
    m.put("createdAt", key.createdAt().toEpochMilli());
    m.put("apiKeyType", key.type());
    m.put("workspace", key.workspaceId() == null ? null : ref("workspace", key.workspaceId()));
    m.put("roles", key.roles());
    m.put("type", "api_key");
    m.put("key", key.key());
    if (faults.isCreateResponsesIncludeId()) {
      m.put("id", key.id());
    }
    return m;
  }

  private static Map<String, Object> ref(String type, String id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("id", id);
    return m;
  }

  // ---------------------------------------------------------------- DELETE /apiKeys/{idOrKey}

  private void deleteKey(HttpExchange ex, String operation, Credential caller, String idOrKey)
      throws IOException, ApiError {
    if (!caller.isGlobal()) {
      // the vendor answers "does not exist or no access" with the same 404; the key stays live
      throw rules.isDeniedDeleteAnswers404()
          ? new ApiError(404, "API key not found or no access")
          : new ApiError(403, "Forbidden: only a GLOBAL-scope admin key may delete API keys");
    }
    if (!caller.mayManageKeys()) {
      throw new ApiError(403, "Forbidden: the caller needs API_ALL_GRANTED or API_APIKEY to delete keys");
    }
    SimKey revoked = state.revoke(idOrKey);
    if (revoked == null) {
      throw new ApiError(404, "API key not found");
    }
    LOG.info("revoked {} key '{}' (id {})", revoked.type(), revoked.name(), revoked.id());
    responder.reply(ex, operation, 200, () -> HttpReplies.empty(ex, 200));
  }
}
