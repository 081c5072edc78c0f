package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.createBody;
import static dev.apikeyoperator.simulator.SimHttp.globalAdmin;
import static dev.apikeyoperator.simulator.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CreateKeyTest extends FmeSimulatorTestBase {

  @ParameterizedTest
  @ValueSource(strings = {"server_side", "client_side"})
  void createsSdkKeysWithTheDocumentedShape(String type) throws Exception {
    String wsId = sim.projectId("Shop");
    String envId = sim.environmentId("Shop", "Production");
    long before = System.currentTimeMillis();
    HttpResponse<String> r = http.api("POST", "/apiKeys",
        createBody("checkout-prod", type, wsId, List.of(envId), List.of()));

    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode b = json(r);
    assertThat(b.path("organization").path("type").asText()).as("capitalised, as live answers").isEqualTo("Organization");
    assertThat(b.path("organization").path("id").asText()).isEqualTo(sim.organizationId());
    assertThat(b.path("environments")).hasSize(1);
    assertThat(b.path("environments").get(0).path("type").asText()).isEqualTo("Environment");
    assertThat(b.path("environments").get(0).path("id").asText()).isEqualTo(envId);
    assertThat(b.path("name").asText()).isEqualTo("checkout-prod");
    assertThat(b.path("createdBy").path("id").asText()).isNotBlank();
    assertThat(b.path("createdAt").asLong()).isBetween(before, System.currentTimeMillis());
    assertThat(b.path("apiKeyType").asText()).isEqualTo(type);
    assertThat(b.path("workspace").path("type").asText()).isEqualTo("workspace");
    assertThat(b.path("workspace").path("id").asText()).isEqualTo(wsId);
    assertThat(b.path("roles").isArray()).isTrue();
    assertThat(b.path("roles")).isEmpty();
    assertThat(b.path("type").asText()).isEqualTo("api_key");
    assertThat(b.path("key").asText()).matches("[a-z0-9]{36}");

    assertThat(sim.keys()).hasSize(1);
    SimKey k = sim.keys().get(0);
    assertThat(b.path("id").asText()).isEqualTo(k.id());
    assertThat(k.key()).isEqualTo(b.path("key").asText());
    assertThat(k.type()).isEqualTo(type);
    assertThat(k.workspaceId()).isEqualTo(wsId);
    assertThat(k.environmentIds()).containsExactly(envId);
    assertThat(k.active()).isTrue();
    assertThat(k.revokedAt()).isNull();
    assertThat(sim.createCount()).isEqualTo(1);
    assertThat(sim.requestCounts()).containsEntry("POST /apiKeys 201", 1);
  }

  @Test
  void createsGlobalAdminKeyWithGlobalEnvironmentMarkerAndDefaultRole() throws Exception {
    HttpResponse<String> r = http.api("POST", "/apiKeys", globalAdmin("ops", List.of()));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode b = json(r);
    assertThat(b.path("environments")).hasSize(1);
    assertThat(b.path("environments").get(0).path("id").asText()).isEqualTo("<<GLOBAL>>");
    assertThat(b.has("workspace")).isTrue();
    assertThat(b.path("workspace").isNull()).isTrue();
    assertThat(b.path("roles").get(0).asText()).isEqualTo("API_ALL_GRANTED");
    assertThat(b.path("roles")).hasSize(1);
    assertThat(sim.keys().get(0).roles()).containsExactly("API_ALL_GRANTED");
    assertThat(sim.keys().get(0).workspaceId()).isNull();
  }

  @Test
  void createsProjectAndEnvironmentScopedAdminKeysWithRoles() throws Exception {
    String wsId = sim.projectId("Default");
    String prod = sim.environmentId("Default", "Production");
    String staging = sim.environmentId("Default", "Staging");
    HttpResponse<String> project = http.api("POST", "/apiKeys",
        createBody("proj", "admin", wsId, List.of(), List.of("API_FEATURE_FLAG_VIEWER", "API_SEGMENT_VIEWER")));
    HttpResponse<String> envScoped = http.api("POST", "/apiKeys",
        createBody("envs", "admin", wsId, List.of(prod, staging), List.of("API_APIKEY")));
    assertThat(project.statusCode()).isEqualTo(201);
    assertThat(envScoped.statusCode()).isEqualTo(201);
    assertThat(json(project).path("roles").toString()).isEqualTo("[\"API_FEATURE_FLAG_VIEWER\",\"API_SEGMENT_VIEWER\"]");
    assertThat(json(project).path("environments")).isEmpty();
    assertThat(json(envScoped).path("environments")).hasSize(2);
    assertThat(sim.keys().get(1).environmentIds()).containsExactly(prod, staging);
  }

  @Test
  void omitsIdWhenConfigured() throws Exception {
    sim.faults().setCreateResponsesIncludeId(false);
    HttpResponse<String> r = http.api("POST", "/apiKeys", http.serverSide("a", "Shop", "Staging"));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(json(r).has("id")).isFalse();
    assertThat(json(r).path("key").asText()).isEqualTo(sim.keys().get(0).key());
  }

  @Test
  void namesNeedNotBeUniqueAndValuesAreDistinct() throws Exception {
    assertThat(http.api("POST", "/apiKeys", http.serverSide("same", "Shop", "Staging")).statusCode()).isEqualTo(201);
    assertThat(http.api("POST", "/apiKeys", http.serverSide("same", "Shop", "Staging")).statusCode()).isEqualTo(201);
    assertThat(sim.keys()).extracting(SimKey::name).containsExactly("same", "same");
    assertThat(sim.keys().get(0).key()).isNotEqualTo(sim.keys().get(1).key());
    assertThat(sim.keys().get(0).id()).isNotEqualTo(sim.keys().get(1).id());
  }

  Stream<Arguments> badBodies() {
    String ws = sim.projectId("Shop");
    String env = sim.environmentId("Shop", "Production");
    String env2 = sim.environmentId("Shop", "Staging");
    List<Arguments> out = new ArrayList<>();
    Map<String, Object> good = createBody("n", "server_side", ws, List.of(env), List.of());
    out.add(Arguments.of("not json", "{nope"));
    out.add(Arguments.of("not an object", "[1,2]"));
    out.add(Arguments.of("empty body", ""));
    out.add(Arguments.of("name missing", without(good, "name")));
    out.add(Arguments.of("name blank", with(good, m -> m.put("name", "  "))));
    out.add(Arguments.of("type missing", without(good, "apiKeyType")));
    out.add(Arguments.of("type unknown", with(good, m -> m.put("apiKeyType", "superuser"))));
    out.add(Arguments.of("server_side without workspace", with(good, m -> m.put("workspace", null))));
    out.add(Arguments.of("client_side without workspace",
        createBody("n", "client_side", null, List.of(env), List.of())));
    out.add(Arguments.of("server_side no environment", createBody("n", "server_side", ws, List.of(), List.of())));
    out.add(Arguments.of("client_side two environments",
        createBody("n", "client_side", ws, List.of(env, env2), List.of())));
    out.add(Arguments.of("server_side with roles",
        createBody("n", "server_side", ws, List.of(env), List.of("API_FEATURE_FLAG_VIEWER"))));
    out.add(Arguments.of("unknown role", createBody("n", "admin", null, List.of(), List.of("API_GOD_MODE"))));
    out.add(Arguments.of("global admin with environments", createBody("n", "admin", null, List.of(env), List.of())));
    out.add(Arguments.of("workspace without id", with(good, m -> m.put("workspace", Map.of("type", "workspace")))));
    out.add(Arguments.of("environment without id",
        with(good, m -> m.put("environments", List.of(Map.of("type", "environment"))))));
    out.add(Arguments.of("environments not an array", with(good, m -> m.put("environments", "prod"))));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void rejectsInvalidBodiesWith400(String label, Object body) throws Exception {
    HttpResponse<String> r = http.api("POST", "/apiKeys", body);
    assertThat(r.statusCode()).as(label).isEqualTo(400);
    assertThat(json(r).path("code").asInt()).isEqualTo(400);
    assertThat(json(r).path("message").asText()).isNotBlank();
    assertThat(sim.keys()).isEmpty();
    assertThat(sim.createCount()).isZero();
  }

  @Test
  void unknownWorkspaceOrEnvironmentIs404() throws Exception {
    String shop = sim.projectId("Shop");
    String defaultProd = sim.environmentId("Default", "Production");
    HttpResponse<String> unknownWs = http.api("POST", "/apiKeys",
        createBody("n", "server_side", "no-such-ws", List.of(defaultProd), List.of()));
    HttpResponse<String> unknownEnv = http.api("POST", "/apiKeys",
        createBody("n", "server_side", shop, List.of("no-such-env"), List.of()));
    HttpResponse<String> envOfOtherWs = http.api("POST", "/apiKeys",
        createBody("n", "client_side", shop, List.of(defaultProd), List.of()));
    assertThat(unknownWs.statusCode()).isEqualTo(404);
    assertThat(unknownEnv.statusCode()).isEqualTo(404);
    assertThat(envOfOtherWs.statusCode()).isEqualTo(404);
    assertThat(sim.keys()).isEmpty();
    assertThat(sim.requestCounts()).containsEntry("POST /apiKeys 404", 3);
  }

  private static Map<String, Object> without(Map<String, Object> m, String field) {
    Map<String, Object> copy = new LinkedHashMap<>(m);
    copy.remove(field);
    return copy;
  }

  private static Map<String, Object> with(Map<String, Object> m, Consumer<Map<String, Object>> change) {
    Map<String, Object> copy = new LinkedHashMap<>(m);
    change.accept(copy);
    return copy;
  }
}
