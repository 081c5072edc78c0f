package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlEndpointsTest extends FmeSimulatorTestBase {

  @Test
  void listsKeysWithValuesAndActiveFilter() throws Exception {
    String value = json(http.api("POST", "/apiKeys", http.serverSide("a", "Shop", "Production"))).path("key").asText();
    http.api("POST", "/apiKeys", http.serverSide("b", "Shop", "Staging"));
    http.api("DELETE", "/apiKeys/" + value, null);

    JsonNode all = json(http.control("GET", "/keys", null));
    assertThat(all).hasSize(2);
    assertThat(all.get(0).path("name").asText()).isEqualTo("a");
    assertThat(all.get(0).path("key").asText()).isEqualTo(value);
    assertThat(all.get(0).path("active").asBoolean()).isFalse();
    assertThat(all.get(0).path("revokedAt").isNull()).isFalse();
    assertThat(all.get(0).path("id").asText()).isEqualTo(sim.keys().get(0).id());
    assertThat(all.get(0).path("type").asText()).isEqualTo("server_side");
    assertThat(all.get(0).path("workspaceId").asText()).isEqualTo(sim.projectId("Shop"));
    assertThat(all.get(0).path("environmentIds").get(0).asText()).isEqualTo(sim.environmentId("Shop", "Production"));

    JsonNode active = json(http.control("GET", "/keys?active=true", null));
    assertThat(active).hasSize(1);
    assertThat(active.get(0).path("name").asText()).isEqualTo("b");
    assertThat(active.get(0).path("active").asBoolean()).isTrue();
  }

  @Test
  void statsAreCountsByOperationAndStatus() throws Exception {
    http.api("POST", "/apiKeys", http.serverSide("a", "Shop", "Production"));
    http.api("GET", "/workspaces", null);
    http.api("GET", "/workspaces", null);
    JsonNode stats = json(http.control("GET", "/stats", null));
    assertThat(stats.path("createCount").asInt()).isEqualTo(1);
    assertThat(stats.path("requests").path("POST /apiKeys 201").asInt()).isEqualTo(1);
    assertThat(stats.path("requests").path("GET /workspaces 200").asInt()).isEqualTo(2);
    assertThat(sim.requestCounts()).as("control calls are not counted").hasSize(2);
  }

  @Test
  void readsAndChangesFaults() throws Exception {
    JsonNode initial = json(http.control("GET", "/faults", null));
    assertThat(initial.path("createResponsesIncludeId").asBoolean()).isTrue();
    assertThat(initial.path("rateLimitHeaders").asBoolean()).isTrue();
    assertThat(initial.path("down").asBoolean()).isFalse();

    HttpResponse<String> put = http.control("PUT", "/faults",
        Map.of("down", true, "latencyMs", 5, "errorRate", 0.5, "dropCreateResponses", 2));
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(json(put).path("down").asBoolean()).isTrue();
    assertThat(sim.faults().isDown()).isTrue();
    assertThat(sim.faults().getLatencyMs()).isEqualTo(5);
    assertThat(sim.faults().getErrorRate()).isEqualTo(0.5);
    assertThat(sim.faults().getDropCreateResponses()).isEqualTo(2);
    assertThat(sim.faults().isCreateResponsesIncludeId()).as("untouched fields keep their value").isTrue();
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(503);

    assertThat(http.control("PUT", "/faults", Map.of("errorRate", 2, "down", false)).statusCode()).isEqualTo(400);
    assertThat(sim.faults().isDown()).as("an invalid change changes nothing").isTrue();
    assertThat(http.control("PUT", "/faults", Map.of("explode", true)).statusCode()).isEqualTo(400);
    assertThat(http.control("PUT", "/faults", "not json").statusCode()).isEqualTo(400);
    assertThat(http.control("PUT", "/faults", Map.of("down", false, "rateLimitHeaders", false)).statusCode())
        .isEqualTo(200);
    assertThat(sim.faults().isRateLimitHeaders()).isFalse();
  }

  @Test
  void resetForgetsKeysAndCountsButKeepsSeedData() throws Exception {
    String shopId = sim.projectId("Shop");
    http.api("POST", "/apiKeys", http.serverSide("a", "Shop", "Production"));
    assertThat(sim.keys()).hasSize(1);
    assertThat(http.control("POST", "/reset", null).statusCode()).isEqualTo(200);
    assertThat(sim.keys()).isEmpty();
    assertThat(sim.createCount()).isZero();
    assertThat(sim.requestCounts()).isEmpty();
    assertThat(sim.projectId("Shop")).isEqualTo(shopId);
    assertThat(http.api("GET", "/workspaces?name=Shop", null).statusCode()).isEqualTo(200);

    sim.faults().setLatencyMs(1);
    http.control("POST", "/reset?faults=true", null);
    assertThat(sim.faults().getLatencyMs()).isZero();
    assertThat(http.control("GET", "/reset", null).statusCode()).isEqualTo(405);
  }

  @Test
  void listsAndAddsProjectsAndCredentials() throws Exception {
    JsonNode projects = json(http.control("GET", "/projects", null));
    assertThat(projects).hasSizeGreaterThanOrEqualTo(2);
    assertThat(projects.get(0).path("name").asText()).isEqualTo("Default");
    assertThat(projects.get(0).path("id").asText()).isEqualTo(sim.projectId("Default"));
    assertThat(projects.get(0).path("environments").get(1).path("name").asText()).isEqualTo("Staging");
    assertThat(projects.get(0).path("environments").get(1).path("id").asText())
        .isEqualTo(sim.environmentId("Default", "Staging"));

    HttpResponse<String> added = http.control("POST", "/projects", Map.of("name", "Ops", "environments", List.of("Prod")));
    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(added.body()).contains(sim.projectId("Ops"));
    assertThat(sim.environmentId("Ops", "Prod")).isNotBlank();
    assertThat(http.control("POST", "/projects", Map.of("name", "Ops")).statusCode()).as("duplicate").isEqualTo(400);

    assertThat(http.control("POST", "/credentials", Map.of("token", "ops-token", "roles", List.of("API_APIKEY")))
        .statusCode()).isEqualTo(201);
    assertThat(http.apiAs("ops-token", "GET", "/workspaces", null).statusCode()).as("API_APIKEY cannot read")
        .isEqualTo(401);
    assertThat(http.apiAs("ops-token", "POST", "/apiKeys", http.serverSide("y", "Shop", "Staging")).statusCode())
        .as("the credential works").isEqualTo(201);
    assertThat(http.apiAs("ops-token", "POST", "/apiKeys", SimHttp.globalAdmin("x", List.of())).statusCode())
        .isEqualTo(403);
  }

  @Test
  void unknownControlRouteIs404() throws Exception {
    assertThat(http.control("GET", "/nothing", null).statusCode()).isEqualTo(404);
  }
}
