package dev.apikeyoperator.simulator;

import com.sun.net.httpserver.HttpExchange;
import dev.apikeyoperator.simulator.SimulatorState.Credential;
import dev.apikeyoperator.simulator.SimulatorState.Environment;
import dev.apikeyoperator.simulator.SimulatorState.Project;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The FME Admin API's reads of projects and environments ({@code GET /workspaces}, {@code GET /environments/ws/{id}}):
 * the roles and scope they need, paging and name matching as the vendor documents them (simulator/README.md).
 */
final class DirectoryListing {
  private final SimulatorState state;
  private final Faults faults;
  private final FmeRules rules;
  private final ApiResponder responder;

  DirectoryListing(SimulatorState state, Faults faults, FmeRules rules, ApiResponder responder) {
    this.state = state;
    this.faults = faults;
    this.rules = rules;
    this.responder = responder;
  }

  // ---------------------------------------------------------------- GET /workspaces

  /** 401 unless the caller may read projects and environments (the roles, when {@link FmeRules} requires them). */
  private void checkMayRead(Credential caller) throws ApiError {
    if (rules.isReadRolesRequired() && !caller.mayRead()) {
      throw new ApiError(401, "Unauthorized: reading projects and environments needs API_ALL_GRANTED, API_ADMIN or "
          + "API_WORKSPACE_ADMIN");
    }
  }

  void listWorkspaces(HttpExchange ex, String operation, Credential caller) throws IOException, ApiError {
    checkMayRead(caller);
    if (faults.consumeWorkspaceListError()) {
      throw new ApiError(500, AdminApiHandler.WORKSPACE_LIST_ERROR);
    }
    if (caller.isEnvironmentScoped()) {
      throw new ApiError(401, "Unauthorized: the credential's scope does not allow listing projects");
    }
    Map<String, String> q = HttpReplies.query(ex);
    int offset = ApiResponder.intParam(q, "offset", 0);
    int limit = ApiResponder.intParam(q, "limit", AdminApiHandler.DEFAULT_LIMIT);
    if (offset < 0) {
      throw new ApiError(400, "offset must be >= 0");
    }
    if (limit < 1 || limit > AdminApiHandler.MAX_LIMIT) {
      throw new ApiError(400, "limit must be between 1 and " + AdminApiHandler.MAX_LIMIT);
    }
    String name = q.get("name");
    String nameOp = q.getOrDefault("nameOp", "IS");
    if (!AdminApiHandler.NAME_OPS.contains(nameOp)) {
      throw new ApiError(400, "nameOp must be one of IS, STARTS_WITH, CONTAINS");
    }
    List<Project> matching = new ArrayList<>();
    for (Project p : state.projects()) {
      if (!caller.isGlobal() && !p.id().equals(caller.workspaceId())) {
        continue;
      }
      if (name != null && !name.isEmpty() && !nameMatches(p.name(), name, nameOp)) {
        continue;
      }
      matching.add(p);
    }
    List<Object> objects = new ArrayList<>();
    for (int i = offset; i < matching.size() && i < offset + limit; i++) {
      Project p = matching.get(i);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", p.id());
      o.put("name", p.name());
      o.put("type", "workspace");
      o.put("requiresTitleAndComments", false);
      objects.add(o);
    }
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("objects", objects);
    page.put("offset", offset);
    page.put("limit", limit);
    page.put("totalCount", matching.size());
    responder.reply(ex, operation, 200, () -> HttpReplies.json(ex, 200, page));
  }

  private static boolean nameMatches(String actual, String wanted, String op) {
    return switch (op) {
      case "STARTS_WITH" -> actual.startsWith(wanted);
      case "CONTAINS" -> actual.contains(wanted);
      default -> actual.equals(wanted);
    };
  }

  // ---------------------------------------------------------------- GET /environments/ws/{workspaceId}

  void listEnvironments(HttpExchange ex, String operation, Credential caller, String workspaceId)
      throws IOException, ApiError {
    checkMayRead(caller);
    if (caller.isEnvironmentScoped()
        || (!caller.isGlobal() && !caller.workspaceId().equals(workspaceId))) {
      throw new ApiError(401, "Unauthorized: the credential's scope does not allow listing these environments");
    }
    Project project = state.projectById(workspaceId);
    if (project == null) {
      throw new ApiError(404, "Workspace not found: " + workspaceId);
    }
    List<Object> out = new ArrayList<>();
    for (Environment e : project.environments()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", e.id());
      o.put("name", e.name());
      o.put("production", e.production());
      out.add(o);
    }
    responder.reply(ex, operation, 200, () -> HttpReplies.json(ex, 200, out));
  }
}
