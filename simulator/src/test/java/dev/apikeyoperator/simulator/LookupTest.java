package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LookupTest extends FmeSimulatorTestBase {

  @Override
  SimulatorConfig config() {
    SimulatorConfig config = SimulatorConfig.defaults().port(0);
    for (int i = 0; i < 25; i++) {
      config.project(String.format("team-%02d", i), "Production", "Dev");
    }
    config.project("Shop", "Production", "Staging", "QA");
    return config;
  }

  @Test
  void pagesThroughWorkspaces() throws Exception {
    JsonNode first = json(http.api("GET", "/workspaces", null));
    assertThat(first.path("offset").asInt()).isZero();
    assertThat(first.path("limit").asInt()).isEqualTo(10);
    assertThat(first.path("totalCount").asInt()).isEqualTo(26);
    assertThat(first.path("objects")).hasSize(10);
    JsonNode o = first.path("objects").get(0);
    assertThat(o.path("name").asText()).isEqualTo("team-00");
    assertThat(o.path("id").asText()).isEqualTo(sim.projectId("team-00"));
    assertThat(o.path("type").asText()).isEqualTo("workspace");
    assertThat(o.path("requiresTitleAndComments").isBoolean()).isTrue();

    List<String> names = new ArrayList<>();
    for (int offset = 0; ; offset += 7) {
      JsonNode page = json(http.api("GET", "/workspaces?offset=" + offset + "&limit=7", null));
      assertThat(page.path("limit").asInt()).isEqualTo(7);
      page.path("objects").forEach(n -> names.add(n.path("name").asText()));
      if (offset + 7 >= page.path("totalCount").asInt()) {
        break;
      }
    }
    assertThat(names).hasSize(26).doesNotHaveDuplicates().contains("Shop", "team-24");
    assertThat(json(http.api("GET", "/workspaces?offset=100", null)).path("objects")).isEmpty();
    assertThat(http.api("GET", "/workspaces?limit=100", null).statusCode()).isEqualTo(200);
  }

  @Test
  void rejectsBadPaging() throws Exception {
    assertThat(http.api("GET", "/workspaces?limit=101", null).statusCode()).isEqualTo(400);
    assertThat(http.api("GET", "/workspaces?limit=0", null).statusCode()).isEqualTo(400);
    assertThat(http.api("GET", "/workspaces?offset=-1", null).statusCode()).isEqualTo(400);
    assertThat(http.api("GET", "/workspaces?limit=ten", null).statusCode()).isEqualTo(400);
    assertThat(http.api("GET", "/workspaces?name=Shop&nameOp=LIKE", null).statusCode()).isEqualTo(400);
  }

  @Test
  void filtersByName() throws Exception {
    JsonNode is = json(http.api("GET", "/workspaces?name=Shop", null));
    assertThat(is.path("totalCount").asInt()).isEqualTo(1);
    assertThat(is.path("objects").get(0).path("id").asText()).isEqualTo(sim.projectId("Shop"));
    assertThat(json(http.api("GET", "/workspaces?name=team&nameOp=IS", null)).path("totalCount").asInt()).isZero();
    assertThat(json(http.api("GET", "/workspaces?name=team-1&nameOp=STARTS_WITH&limit=100", null))
        .path("totalCount").asInt()).isEqualTo(10);
    assertThat(json(http.api("GET", "/workspaces?name=-2&nameOp=CONTAINS&limit=100", null))
        .path("totalCount").asInt()).isEqualTo(5);
    assertThat(json(http.api("GET", "/workspaces?name=Sh%6Fp", null)).path("totalCount").asInt())
        .as("URL-decoded").isEqualTo(1);
  }

  @Test
  void listsEnvironmentsOfAWorkspace() throws Exception {
    HttpResponse<String> r = http.api("GET", "/environments/ws/" + sim.projectId("Shop"), null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode arr = json(r);
    assertThat(arr.isArray()).isTrue();
    assertThat(arr).hasSize(3);
    assertThat(arr.get(0).path("name").asText()).isEqualTo("Production");
    assertThat(arr.get(0).path("id").asText()).isEqualTo(sim.environmentId("Shop", "Production"));
    assertThat(arr.get(0).path("production").asBoolean()).isTrue();
    assertThat(arr.get(2).path("name").asText()).isEqualTo("QA");
    assertThat(arr.get(2).path("production").asBoolean()).isFalse();
    assertThat(http.api("GET", "/environments/ws/unknown-ws", null).statusCode()).isEqualTo(404);
    assertThat(sim.requestCounts()).containsKey("GET /environments 200").containsKey("GET /environments 404");
  }

  @Test
  void seededProjectsReplaceDefaults() {
    assertThat(sim.environmentId("Shop", "QA")).isNotBlank();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sim.projectId("Default"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
