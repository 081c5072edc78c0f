package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.apikeyoperator.simulator.SimulatorState.Environment;
import dev.apikeyoperator.simulator.SimulatorState.Project;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Control endpoints of the {@link FmeSimulator} under {@code /__simulator}: those of {@link AbstractControlHandler}
 * ({@code keys}, {@code stats}, {@code faults}, {@code reset}) and
 *
 * <ul>
 *   <li>{@code GET /__simulator/projects}: projects with ids and environments</li>
 *   <li>{@code POST /__simulator/projects}: add a project {@code {"name","environments":[...]}}</li>
 *   <li>{@code GET|PUT /__simulator/account}: {@code {"harnessMigrated":bool}}</li>
 *   <li>{@code GET|PUT /__simulator/rules}: any subset of the {@link FmeRules} fields</li>
 *   <li>{@code POST /__simulator/credentials}: add a credential
 *       {@code {"token","roles":[...],"workspaceId":null,"environmentIds":[]}}</li>
 * </ul>
 */
final class ControlHandler extends AbstractControlHandler<SimKey> {

  private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);
  private static final Map<String, BiConsumer<FmeRules, JsonNode>> RULE_FIELDS = Map.of(
      "readRolesRequired", (r, n) -> r.setReadRolesRequired(boolValue(n, "readRolesRequired")),
      "deniedDeleteAnswers404", (r, n) -> r.setDeniedDeleteAnswers404(boolValue(n, "deniedDeleteAnswers404")),
      "maxKeyNameLength", (r, n) -> r.setMaxKeyNameLength(intValue(n, "maxKeyNameLength")),
      "environmentScopedCreates", (r, n) -> r.setEnvironmentScopedCreates(boolValue(n, "environmentScopedCreates")),
      "paywallAdminKeys", (r, n) -> r.setPaywallAdminKeys(boolValue(n, "paywallAdminKeys")),
      "capitalisedTypes", (r, n) -> r.setCapitalisedTypes(boolValue(n, "capitalisedTypes")));

  private final FmeSimulator simulator;
  private final SimulatorState state;

  ControlHandler(FmeSimulator simulator, SimulatorState state) {
    super(simulator::keys, simulator::activeKeys, ControlHandler::keyJson, simulator::createCount,
        simulator::requestCounts, simulator::faults, simulator::reset);
    this.simulator = simulator;
    this.state = state;
  }

  @Override
  boolean handleMore(HttpExchange ex, String method, String path, byte[] body) throws IOException {
    switch (path) {
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
        } else if (isChange(method)) {
          JsonNode root = parse(body);
          onlyFields(root, Set.of("harnessMigrated"), "account");
          if (root.has("harnessMigrated")) {
            simulator.setHarnessMigrated(boolValue(root, "harnessMigrated"));
            LOG.info("harnessMigrated set to {}", simulator.isHarnessMigrated());
          }
          HttpReplies.json(ex, 200, Map.of("harnessMigrated", simulator.isHarnessMigrated()));
        } else {
          methodNotAllowed(ex, "GET, PUT");
        }
      }
      case "/rules" -> {
        if ("GET".equals(method)) {
          HttpReplies.json(ex, 200, simulator.rules().toMap());
        } else if (isChange(method)) {
          applySettings(simulator.rules(), body, RULE_FIELDS, r -> new FmeRules().copyFrom(r), FmeRules::copyFrom,
              "rules");
          HttpReplies.json(ex, 200, simulator.rules().toMap());
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
      default -> {
        return false;
      }
    }
    return true;
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
