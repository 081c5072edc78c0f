package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.createBody;
import static dev.apikeyoperator.simulator.SimHttp.globalAdmin;
import static dev.apikeyoperator.simulator.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The FME vendor behaviours that a lenient fake hides: strict by default, each leniency a switch. */
class FmeVendorRulesTest extends FmeSimulatorTestBase {

  @BeforeAll
  void addCredentials() {
    sim.addCredential("apikey-only", List.of(Roles.API_APIKEY), null, List.of());
    sim.addCredential("admin-role", List.of(Roles.API_ADMIN), null, List.of());
    sim.addCredential("workspace-admin", List.of(Roles.API_WORKSPACE_ADMIN), null, List.of());
  }

  @Test
  void anApiKeyOnlyCredentialMintsAndRevokesButCannotLookNamesUp() throws Exception {
    String shop = sim.projectId("Shop");
    HttpResponse<String> projects = http.apiAs("apikey-only", "GET", "/workspaces", null);
    assertThat(projects.statusCode()).isEqualTo(401);
    assertThat(json(projects).path("message").asText())
        .contains("API_ALL_GRANTED", "API_ADMIN", "API_WORKSPACE_ADMIN");
    assertThat(http.apiAs("apikey-only", "GET", "/environments/ws/" + shop, null).statusCode()).isEqualTo(401);

    HttpResponse<String> created = http.apiAs("apikey-only", "POST", "/apiKeys",
        http.serverSide("by-ids", "Shop", "Production"));
    assertThat(created.statusCode()).as("ids work").isEqualTo(201);
    assertThat(http.apiAs("apikey-only", "DELETE", "/apiKeys/" + json(created).path("id").asText(), null)
        .statusCode()).isEqualTo(200);
    assertThat(sim.activeKeys()).isEmpty();

    for (String reader : List.of("admin-role", "workspace-admin", sim.adminToken())) {
      assertThat(http.apiAs(reader, "GET", "/workspaces", null).statusCode()).as(reader).isEqualTo(200);
      assertThat(http.apiAs(reader, "GET", "/environments/ws/" + shop, null).statusCode()).as(reader).isEqualTo(200);
    }
  }

  @Test
  void readRolesCanBeSwitchedOff() throws Exception {
    sim.rules().setReadRolesRequired(false);
    assertThat(http.apiAs("apikey-only", "GET", "/workspaces", null).statusCode()).isEqualTo(200);
    assertThat(http.apiAs("apikey-only", "GET", "/environments/ws/" + sim.projectId("Shop"), null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void keyNamesOverOneHundredCharactersAre400UnlessTheLimitIsLifted() throws Exception {
    HttpResponse<String> longest = http.api("POST", "/apiKeys", http.serverSide("n".repeat(100), "Shop", "Staging"));
    assertThat(longest.statusCode()).isEqualTo(201);
    HttpResponse<String> tooLong = http.api("POST", "/apiKeys", http.serverSide("n".repeat(101), "Shop", "Staging"));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(json(tooLong).path("message").asText()).contains("100");
    assertThat(sim.keys()).hasSize(1);

    sim.rules().setMaxKeyNameLength(0);
    assertThat(http.api("POST", "/apiKeys", http.serverSide("n".repeat(300), "Shop", "Staging")).statusCode())
        .isEqualTo(201);
  }

  @Test
  void paywalledAccountsCannotCreateAdminKeys() throws Exception {
    assertThat(http.api("POST", "/apiKeys", globalAdmin("before", List.of())).statusCode()).isEqualTo(201);
    sim.rules().setPaywallAdminKeys(true);
    HttpResponse<String> r = http.api("POST", "/apiKeys", globalAdmin("paywalled", List.of()));
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.body()).isEqualTo("{\"message\":\"Forbidden by Paywalls\"}");
    assertThat(http.api("POST", "/apiKeys", http.serverSide("sdk", "Shop", "Staging")).statusCode())
        .as("SDK keys are not paywalled").isEqualTo(201);
    assertThat(sim.keys()).extracting(SimKey::name).containsExactly("before", "sdk");
    assertThat(sim.requestCounts()).containsEntry("POST /apiKeys 402", 1);
  }

  @Test
  void harnessStyleRateLimitRepliesHaveABareBodyAndNoHeaders() throws Exception {
    sim.faults().setRateLimitPerSecond(1).setBareRateLimitReplies(true);
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(200);
    HttpResponse<String> r = http.api("GET", "/workspaces", null);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.body()).isEqualTo("{\"code\":429}");
    assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-ratelimit"));
    assertThat(r.headers().firstValue("Retry-After")).isEmpty();

    sim.faults().setBareRateLimitReplies(false);
    HttpResponse<String> documented = http.api("GET", "/workspaces", null);
    assertThat(documented.statusCode()).isEqualTo(429);
    assertThat(documented.headers().firstValue("X-RateLimit-Reset-Seconds-Org")).isPresent();
    assertThat(documented.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void theNextWorkspaceListingsAnswerATransient500() throws Exception {
    sim.faults().setWorkspaceListErrors(2);
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = http.api("GET", "/workspaces", null);
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(json(r).path("message").asText()).contains("E11000 duplicate key");
    }
    assertThat(http.api("GET", "/environments/ws/" + sim.projectId("Shop"), null).statusCode())
        .as("environment listings are unaffected").isEqualTo(200);
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(200);
    assertThat(sim.requestCounts()).containsEntry("GET /workspaces 500", 2).containsEntry("GET /workspaces 200", 1);
  }

  @Test
  void createAnswersCapitaliseTypesUnlessSwitchedToTheDocumentedExample() throws Exception {
    JsonNode live = json(http.api("POST", "/apiKeys", globalAdmin("g", List.of())));
    assertThat(live.path("organization").path("type").asText()).isEqualTo("Organization");
    assertThat(live.path("environments").get(0).path("type").asText()).isEqualTo("Environment");
    assertThat(live.path("environments").get(0).path("id").asText()).isEqualTo("<<GLOBAL>>");

    sim.rules().setCapitalisedTypes(false);
    JsonNode documented = json(http.api("POST", "/apiKeys", http.serverSide("s", "Shop", "Staging")));
    assertThat(documented.path("organization").path("type").asText()).isEqualTo("organization");
    assertThat(documented.path("environments").get(0).path("type").asText()).isEqualTo("environment");
  }

  @Test
  void rulesControlEndpointReadsAndChangesTheSwitches() throws Exception {
    JsonNode defaults = json(http.control("GET", "/rules", null));
    assertThat(defaults.path("readRolesRequired").asBoolean()).isTrue();
    assertThat(defaults.path("deniedDeleteAnswers404").asBoolean()).isTrue();
    assertThat(defaults.path("maxKeyNameLength").asInt()).isEqualTo(100);
    assertThat(defaults.path("environmentScopedCreates").asBoolean()).isFalse();
    assertThat(defaults.path("paywallAdminKeys").asBoolean()).isFalse();
    assertThat(defaults.path("capitalisedTypes").asBoolean()).isTrue();

    HttpResponse<String> changed = http.control("PUT", "/rules",
        Map.of("readRolesRequired", false, "maxKeyNameLength", 5, "paywallAdminKeys", true));
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(sim.rules().isReadRolesRequired()).isFalse();
    assertThat(sim.rules().getMaxKeyNameLength()).isEqualTo(5);
    assertThat(http.api("POST", "/apiKeys", http.serverSide("sixsix", "Shop", "Staging")).statusCode())
        .isEqualTo(400);

    assertThat(http.control("PUT", "/rules", Map.of("capitalisedTypes", false, "maxKeyNameLength", -1))
        .statusCode()).as("invalid: nothing changes").isEqualTo(400);
    assertThat(sim.rules().isCapitalisedTypes()).isTrue();
    assertThat(http.control("PUT", "/rules", Map.of("lenient", true)).statusCode()).isEqualTo(400);
    assertThat(http.control("PUT", "/faults", Map.of("workspaceListErrors", 1, "bareRateLimitReplies", true))
        .statusCode()).isEqualTo(200);
    assertThat(sim.faults().getWorkspaceListErrors()).isEqualTo(1);
    assertThat(sim.faults().isBareRateLimitReplies()).isTrue();
    sim.reset();
    assertThat(sim.rules().isPaywallAdminKeys()).as("reset keeps the rules").isTrue();
  }

  @Test
  void cliFlagsTurnTheLeniencesOn() throws Exception {
    SimulatorMain strict = new SimulatorMain();
    new CommandLine(strict).parseArgs("--port", "0");
    assertThat(strict.fmeConfig().rules().toMap()).isEqualTo(new FmeRules().toMap());
    assertThat(strict.fmeConfig().faults().isBareRateLimitReplies()).isFalse();

    SimulatorMain lenient = new SimulatorMain();
    new CommandLine(lenient).parseArgs("--port", "0", "--lenient-reads", "--denied-delete-403",
        "--max-key-name-length", "0", "--environment-scoped-creates", "--paywall-admin-keys", "--lowercase-types",
        "--bare-rate-limit-replies");
    SimulatorConfig c = lenient.fmeConfig();
    assertThat(c.rules().isReadRolesRequired()).isFalse();
    assertThat(c.rules().isDeniedDeleteAnswers404()).isFalse();
    assertThat(c.rules().getMaxKeyNameLength()).isZero();
    assertThat(c.rules().isEnvironmentScopedCreates()).isTrue();
    assertThat(c.rules().isPaywallAdminKeys()).isTrue();
    assertThat(c.rules().isCapitalisedTypes()).isFalse();
    assertThat(c.faults().isBareRateLimitReplies()).isTrue();
    try (FmeSimulator other = FmeSimulator.start(c.port(0))) {
      assertThat(other.rules().isPaywallAdminKeys()).as("the config's rules are the simulator's").isTrue();
    }
  }
}
