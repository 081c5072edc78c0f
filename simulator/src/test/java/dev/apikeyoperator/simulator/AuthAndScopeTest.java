package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.createBody;
import static dev.apikeyoperator.simulator.SimHttp.globalAdmin;
import static dev.apikeyoperator.simulator.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthAndScopeTest extends FmeSimulatorTestBase {

  @BeforeAll
  void addCredentials() {
    String shop = sim.projectId("Shop");
    String shopProd = sim.environmentId("Shop", "Production");
    sim.addCredential("viewer-token", List.of("API_FEATURE_FLAG_VIEWER"), null, List.of());
    sim.addCredential("apikey-token", List.of("API_APIKEY", "API_FEATURE_FLAG_VIEWER"), null, List.of());
    sim.addCredential("project-token", List.of("API_ALL_GRANTED"), shop, List.of());
    sim.addCredential("env-token", List.of("API_ALL_GRANTED"), shop, List.of(shopProd));
  }

  @Test
  void unknownOrMissingCredentialIs401() throws Exception {
    HttpResponse<String> unknown = http.apiAs("nope", "GET", "/workspaces", null);
    HttpResponse<String> missing = http.send("GET", sim.baseUrl() + "/workspaces", null);
    HttpResponse<String> wrongScheme = http.send("GET", sim.baseUrl() + "/workspaces", null,
        "Authorization", "Basic " + sim.adminToken());
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(json(unknown).path("code").asInt()).isEqualTo(401);
    assertThat(json(unknown).path("message").asText()).isNotBlank();
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(wrongScheme.statusCode()).isEqualTo(401);
    HttpResponse<String> create = http.apiAs("nope", "POST", "/apiKeys", globalAdmin("x", List.of()));
    assertThat(create.statusCode()).isEqualTo(401);
    assertThat(sim.keys()).isEmpty();
    assertThat(sim.requestCounts()).containsEntry("GET /workspaces 401", 3).containsEntry("POST /apiKeys 401", 1);
  }

  @Test
  void acceptsBearerAndXApiKeySchemes() throws Exception {
    HttpResponse<String> bearer = http.send("GET", sim.baseUrl() + "/workspaces", null,
        "Authorization", "Bearer " + sim.adminToken());
    HttpResponse<String> xApiKey = http.send("GET", sim.baseUrl() + "/workspaces", null,
        "x-api-key", sim.adminToken());
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(xApiKey.statusCode()).isEqualTo(200);
    HttpResponse<String> create = http.send("POST", sim.baseUrl() + "/apiKeys",
        SimHttp.toJson(http.serverSide("k", "Shop", "Production")), "x-api-key", sim.adminToken());
    assertThat(create.statusCode()).isEqualTo(201);
  }

  @Test
  void callerWithoutKeyRoleIs403() throws Exception {
    HttpResponse<String> r = http.apiAs("viewer-token", "POST", "/apiKeys", http.serverSide("k", "Shop", "Staging"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(sim.keys()).isEmpty();
  }

  @Test
  void cannotGrantRolesTheCallerDoesNotHold() throws Exception {
    HttpResponse<String> allGranted = http.apiAs("apikey-token", "POST", "/apiKeys", globalAdmin("a", List.of()));
    HttpResponse<String> admin = http.apiAs("apikey-token", "POST", "/apiKeys",
        globalAdmin("b", List.of("API_ADMIN")));
    HttpResponse<String> subset = http.apiAs("apikey-token", "POST", "/apiKeys",
        globalAdmin("c", List.of("API_FEATURE_FLAG_VIEWER")));
    HttpResponse<String> sdk = http.apiAs("apikey-token", "POST", "/apiKeys", http.serverSide("d", "Shop", "Staging"));
    assertThat(allGranted.statusCode()).as("implicit API_ALL_GRANTED").isEqualTo(403);
    assertThat(admin.statusCode()).isEqualTo(403);
    assertThat(subset.statusCode()).isEqualTo(201);
    assertThat(sdk.statusCode()).isEqualTo(201);
    assertThat(sim.keys()).extracting(SimKey::name).containsExactly("c", "d");
  }

  @Test
  void cannotBroadenScope() throws Exception {
    String shop = sim.projectId("Shop");
    String shopProd = sim.environmentId("Shop", "Production");
    String shopStaging = sim.environmentId("Shop", "Staging");
    String def = sim.projectId("Default");
    // project-scoped caller
    assertThat(http.apiAs("project-token", "POST", "/apiKeys", globalAdmin("g", List.of())).statusCode())
        .isEqualTo(403);
    assertThat(http.apiAs("project-token", "POST", "/apiKeys",
        createBody("other", "admin", def, List.of(), List.of())).statusCode()).isEqualTo(403);
    assertThat(http.apiAs("project-token", "POST", "/apiKeys",
        createBody("same", "admin", shop, List.of(), List.of())).statusCode()).isEqualTo(201);
    // environment-scoped caller: the vendor lets it create nothing
    HttpResponse<String> envCreate = http.apiAs("env-token", "POST", "/apiKeys",
        createBody("prd", "server_side", shop, List.of(shopProd), List.of()));
    assertThat(envCreate.statusCode()).isEqualTo(403);
    assertThat(json(envCreate).path("message").asText()).contains("environment-scoped");
    // with the leniency on, it may create within its environments
    sim.rules().setEnvironmentScopedCreates(true);
    assertThat(http.apiAs("env-token", "POST", "/apiKeys",
        createBody("proj", "admin", shop, List.of(), List.of())).statusCode()).isEqualTo(403);
    assertThat(http.apiAs("env-token", "POST", "/apiKeys",
        createBody("stg", "server_side", shop, List.of(shopStaging), List.of())).statusCode()).isEqualTo(403);
    assertThat(http.apiAs("env-token", "POST", "/apiKeys",
        createBody("prd", "server_side", shop, List.of(shopProd), List.of())).statusCode()).isEqualTo(201);
    assertThat(sim.keys()).extracting(SimKey::name).containsExactly("same", "prd");
  }

  @Test
  void createdAdminKeyIsACredentialUntilRevoked() throws Exception {
    HttpResponse<String> created = http.api("POST", "/apiKeys", globalAdmin("ops", List.of("API_APIKEY")));
    assertThat(created.statusCode()).isEqualTo(201);
    String value = json(created).path("key").asText();

    HttpResponse<String> byKey = http.apiAs(value, "POST", "/apiKeys", http.serverSide("child", "Shop", "Staging"));
    assertThat(byKey.statusCode()).isEqualTo(201);
    assertThat(json(byKey).path("createdBy").path("id").asText()).isEqualTo(sim.keys().get(0).id());
    // the created key only has API_APIKEY: it cannot grant API_ADMIN
    assertThat(http.apiAs(value, "POST", "/apiKeys", globalAdmin("x", List.of("API_ADMIN"))).statusCode())
        .isEqualTo(403);

    assertThat(http.api("DELETE", "/apiKeys/" + sim.keys().get(0).id(), null).statusCode()).isEqualTo(200);
    assertThat(http.apiAs(value, "GET", "/workspaces", null).statusCode()).isEqualTo(401);
  }

  @Test
  void sdkKeysAreNotAdminCredentials() throws Exception {
    HttpResponse<String> created = http.api("POST", "/apiKeys", http.serverSide("sdk", "Shop", "Production"));
    String value = json(created).path("key").asText();
    assertThat(http.apiAs(value, "GET", "/workspaces", null).statusCode()).isEqualTo(401);
  }

  @Test
  void narrowScopesCannotListProjectsOrOtherEnvironments() throws Exception {
    assertThat(http.apiAs("env-token", "GET", "/workspaces", null).statusCode()).isEqualTo(401);
    assertThat(http.apiAs("env-token", "GET", "/environments/ws/" + sim.projectId("Shop"), null).statusCode())
        .isEqualTo(401);
    HttpResponse<String> projectList = http.apiAs("project-token", "GET", "/workspaces", null);
    assertThat(projectList.statusCode()).isEqualTo(200);
    assertThat(json(projectList).path("totalCount").asInt()).isEqualTo(1);
    assertThat(json(projectList).path("objects").get(0).path("name").asText()).isEqualTo("Shop");
    assertThat(http.apiAs("project-token", "GET", "/environments/ws/" + sim.projectId("Default"), null).statusCode())
        .isEqualTo(401);
  }

  @Test
  void onlyGlobalCallersMayDelete() throws Exception {
    http.api("POST", "/apiKeys", http.serverSide("sdk", "Shop", "Production"));
    String id = sim.keys().get(0).id();
    // the vendor: "does not exist or no access", the same 404 as for an unknown key
    assertThat(http.apiAs("project-token", "DELETE", "/apiKeys/" + id, null).statusCode()).isEqualTo(404);
    assertThat(http.apiAs("env-token", "DELETE", "/apiKeys/" + id, null).statusCode()).isEqualTo(404);
    assertThat(sim.activeKeys()).as("a refused delete revokes nothing").hasSize(1);
    sim.rules().setDeniedDeleteAnswers404(false);
    assertThat(http.apiAs("project-token", "DELETE", "/apiKeys/" + id, null).statusCode()).isEqualTo(403);
    assertThat(http.apiAs("viewer-token", "DELETE", "/apiKeys/" + id, null).statusCode())
        .as("a GLOBAL caller without a key role").isEqualTo(403);
    assertThat(sim.activeKeys()).hasSize(1);
    assertThat(http.apiAs("apikey-token", "DELETE", "/apiKeys/" + id, null).statusCode()).isEqualTo(200);
    assertThat(sim.activeKeys()).isEmpty();
  }
}
