package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.createBody;
import static dev.apikeyoperator.simulator.SimHttp.globalAdmin;
import static dev.apikeyoperator.simulator.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HarnessMigratedTest extends FmeSimulatorTestBase {

  static final String MESSAGE =
      "Admin API keys are managed by Harness for this account: use a Harness service account token";

  @Override
  SimulatorConfig config() {
    return SimulatorConfig.defaults().port(0).harnessMigrated(true);
  }

  @BeforeAll
  void addHarnessServiceAccountToken() {
    sim.addCredential("sat.account.harness-sa-token", List.of("API_ALL_GRANTED"), null, List.of());
  }

  @BeforeEach
  void migrated() {
    sim.setHarnessMigrated(true);
  }

  @Test
  void adminCreateIs403WithTheHarnessMessageAndCreatesNothing() throws Exception {
    assertThat(sim.isHarnessMigrated()).isTrue();
    HttpResponse<String> r = http.api("POST", "/apiKeys", globalAdmin("admin", List.of()));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).path("code").asInt()).isEqualTo(403);
    assertThat(json(r).path("message").asText()).isEqualTo(MESSAGE);
    String shop = sim.projectId("Shop");
    HttpResponse<String> projectAdmin = http.api("POST", "/apiKeys",
        createBody("p", "admin", shop, List.of(), List.of("API_APIKEY")));
    assertThat(projectAdmin.statusCode()).as("every admin scope").isEqualTo(403);
    assertThat(sim.keys()).isEmpty();
    assertThat(sim.createCount()).isZero();
    assertThat(sim.requestCounts()).containsEntry("POST /apiKeys 403", 2);
  }

  @Test
  void sdkKeysStillWorkAndCanBeDeleted() throws Exception {
    HttpResponse<String> server = http.api("POST", "/apiKeys", http.serverSide("s", "Shop", "Production"));
    HttpResponse<String> client = http.api("POST", "/apiKeys",
        createBody("c", "client_side", sim.projectId("Shop"), List.of(sim.environmentId("Shop", "Staging")),
            List.of()));
    assertThat(server.statusCode()).isEqualTo(201);
    assertThat(client.statusCode()).isEqualTo(201);
    assertThat(sim.activeKeys()).hasSize(2);
    assertThat(http.api("DELETE", "/apiKeys/" + json(server).path("id").asText(), null).statusCode()).isEqualTo(200);
    assertThat(sim.activeKeys()).hasSize(1);
  }

  @Test
  void harnessTokenWorksWithXApiKeyAndBearer() throws Exception {
    String token = "sat.account.harness-sa-token";
    HttpResponse<String> viaHeader = http.send("POST", sim.baseUrl() + "/apiKeys",
        SimHttp.toJson(http.serverSide("x", "Shop", "Production")), "x-api-key", token);
    assertThat(viaHeader.statusCode()).isEqualTo(201);
    assertThat(http.send("GET", sim.baseUrl() + "/workspaces", null, "x-api-key", token).statusCode())
        .isEqualTo(200);
    assertThat(http.apiAs(token, "GET", "/workspaces", null).statusCode()).as("Bearer too").isEqualTo(200);
    HttpResponse<String> admin = http.send("POST", sim.baseUrl() + "/apiKeys",
        SimHttp.toJson(globalAdmin("a", List.of())), "x-api-key", token);
    assertThat(admin.statusCode()).as("still no admin keys for Harness tokens").isEqualTo(403);
  }

  @Test
  void invalidBodiesAndMissingRightsComeFirst() throws Exception {
    assertThat(http.api("POST", "/apiKeys", "{}").statusCode()).isEqualTo(400);
    assertThat(http.apiAs("nope", "POST", "/apiKeys", globalAdmin("a", List.of())).statusCode()).isEqualTo(401);
  }

  @Test
  void runtimeSwitchAndControlEndpoint() throws Exception {
    sim.setHarnessMigrated(false);
    assertThat(http.api("POST", "/apiKeys", globalAdmin("a", List.of())).statusCode()).isEqualTo(201);

    HttpResponse<String> put = http.control("PUT", "/account", Map.of("harnessMigrated", true));
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(json(put).path("harnessMigrated").asBoolean()).isTrue();
    assertThat(sim.isHarnessMigrated()).isTrue();
    assertThat(json(http.control("GET", "/account", null)).path("harnessMigrated").asBoolean()).isTrue();
    assertThat(http.api("POST", "/apiKeys", globalAdmin("b", List.of())).statusCode()).isEqualTo(403);

    assertThat(http.control("PUT", "/account", Map.of("harnessMigrated", "yes")).statusCode()).isEqualTo(400);
    assertThat(http.control("PUT", "/account", Map.of("other", true)).statusCode()).isEqualTo(400);
    assertThat(sim.isHarnessMigrated()).isTrue();
    sim.reset();
    assertThat(sim.isHarnessMigrated()).as("reset keeps the account mode").isTrue();
  }

  @Test
  void defaultIsNotMigratedAndCliFlagSetsIt() throws Exception {
    assertThat(SimulatorConfig.defaults().harnessMigrated()).isFalse();
    SimulatorMain main = new SimulatorMain();
    new CommandLine(main).parseArgs("--port", "0", "--harness-migrated");
    assertThat(main.fmeConfig().harnessMigrated()).isTrue();
    SimulatorMain plain = new SimulatorMain();
    new CommandLine(plain).parseArgs();
    assertThat(plain.fmeConfig().harnessMigrated()).isFalse();
  }
}
