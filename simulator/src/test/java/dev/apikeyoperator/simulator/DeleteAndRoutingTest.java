package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeleteAndRoutingTest extends FmeSimulatorTestBase {

  @Test
  void deletesById() throws Exception {
    http.api("POST", "/apiKeys", http.serverSide("a", "Shop", "Production"));
    http.api("POST", "/apiKeys", http.serverSide("b", "Shop", "Production"));
    String id = sim.keys().get(0).id();
    Instant before = Instant.now();

    HttpResponse<String> r = http.api("DELETE", "/apiKeys/" + id, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sim.keys()).hasSize(2);
    SimKey revoked = sim.keys().get(0);
    assertThat(revoked.active()).isFalse();
    assertThat(revoked.revokedAt()).isAfterOrEqualTo(before.minusMillis(1));
    assertThat(sim.activeKeys()).extracting(SimKey::name).containsExactly("b");

    HttpResponse<String> again = http.api("DELETE", "/apiKeys/" + id, null);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(sim.requestCounts()).containsEntry("DELETE /apiKeys 200", 1).containsEntry("DELETE /apiKeys 404", 1);
  }

  @Test
  void deletesByKeyValue() throws Exception {
    sim.faults().setCreateResponsesIncludeId(false);
    HttpResponse<String> created = http.api("POST", "/apiKeys", http.serverSide("a", "Shop", "Staging"));
    String value = json(created).path("key").asText();
    assertThat(http.api("DELETE", "/apiKeys/" + value, null).statusCode()).isEqualTo(200);
    assertThat(sim.keys().get(0).active()).isFalse();
    assertThat(http.api("DELETE", "/apiKeys/" + value, null).statusCode()).isEqualTo(404);
    assertThat(http.api("DELETE", "/apiKeys/" + sim.keys().get(0).id(), null).statusCode()).isEqualTo(404);
  }

  @Test
  void unknownKeyIs404() throws Exception {
    assertThat(http.api("DELETE", "/apiKeys/does-not-exist", null).statusCode()).isEqualTo(404);
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405() throws Exception {
    assertThat(http.api("GET", "/splits", null).statusCode()).isEqualTo(404);
    assertThat(http.api("GET", "/apiKeys/a/b", null).statusCode()).isEqualTo(404);
    assertThat(http.send("GET", "http://127.0.0.1:" + sim.port() + "/elsewhere", null).statusCode()).isEqualTo(404);
    HttpResponse<String> listKeys = http.api("GET", "/apiKeys", null);
    assertThat(listKeys.statusCode()).as("there is no list endpoint").isEqualTo(405);
    assertThat(listKeys.headers().firstValue("Allow")).hasValue("POST");
    assertThat(http.api("GET", "/apiKeys/some-id", null).statusCode()).as("there is no get endpoint").isEqualTo(405);
    assertThat(http.api("POST", "/workspaces", "{}").statusCode()).isEqualTo(405);
    assertThat(http.api("DELETE", "/environments/ws/" + sim.projectId("Shop"), null).statusCode()).isEqualTo(405);
    assertThat(sim.requestCounts()).containsEntry("GET /apiKeys 405", 2).containsEntry("GET <unknown> 404", 2);
  }
}
