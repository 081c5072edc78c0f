package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StatsigControlTest extends StatsigSimulatorTestBase {

  @Test
  void bindsLoopbackWithTheDocumentedUrlsAndDefaults() {
    assertThat(sim.port()).isPositive();
    assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port() + "/console/v1");
    assertThat(sim.consoleKey()).isEqualTo("console-sim-admin");
    assertThat(sim.mutationsPer10s()).isEqualTo(100);
    assertThat(sim.attemptsPer15min()).isEqualTo(1800);
  }

  @Test
  void outsideDeactivationAndDeletionAreVisibleThroughTheApi() throws Exception {
    String a = http.create("SERVER", "a").path("key").asText();
    String b = http.create("CLIENT", "b").path("key").asText();
    sim.deactivateOutside(a);
    sim.deleteOutside(b);
    assertThat(json(http.api("GET", "/keys/" + a, null)).path("data").path("status").asText())
        .isEqualTo("deactivated");
    assertThat(http.api("GET", "/keys/" + b, null).statusCode()).isEqualTo(404);
    assertThat(http.listedWithKey("")).hasSize(1);
    assertThat(sim.activeKeys()).isEmpty();
    sim.deleteOutside(b); // idempotent
    sim.deactivateOutside(b); // a deleted key stays deleted
    assertThat(sim.keys().get(1).status()).isEqualTo("deleted");
    assertThatThrownBy(() -> sim.deleteOutside("secret-unknown")).isInstanceOf(IllegalArgumentException.class);
    assertThat(sim.requestCounts()).as("outside changes are not API requests")
        .doesNotContainKeys("DELETE /keys/{id} 200", "PATCH /keys/{id}/deactivate 200");
  }

  @Test
  void controlKeysStatsAndOutsideRevocation() throws Exception {
    String a = http.create("SERVER", "a").path("key").asText();
    String b = http.create("SERVER", "b").path("key").asText();
    assertThat(http.control("POST", "/keys/" + a + "/deactivate", null).statusCode()).isEqualTo(200);
    assertThat(http.control("DELETE", "/keys/" + b, null).statusCode()).isEqualTo(200);
    assertThat(http.control("DELETE", "/keys/secret-unknown", null).statusCode()).isEqualTo(404);
    assertThat(http.control("GET", "/keys/" + a + "/deactivate", null).statusCode()).isEqualTo(405);

    JsonNode all = json(http.control("GET", "/keys", null));
    assertThat(all).hasSize(2);
    assertThat(all.get(0).path("key").asText()).as("values included").isEqualTo(a);
    assertThat(all.get(0).path("status").asText()).isEqualTo("deactivated");
    assertThat(all.get(1).path("status").asText()).isEqualTo("deleted");
    assertThat(all.get(0).path("createdAt").asText()).isNotBlank();
    assertThat(json(http.control("GET", "/keys?active=true", null))).isEmpty();

    JsonNode stats = json(http.control("GET", "/stats", null));
    assertThat(stats.path("createCount").asInt()).isEqualTo(2);
    assertThat(stats.path("requests").path("POST /keys 201").asInt()).isEqualTo(2);
  }

  @Test
  void faultsLimitsConsoleKeysAndReset() throws Exception {
    HttpResponse<String> f = http.control("PUT", "/faults", Map.of("down", true, "latencyMs", 5));
    assertThat(f.statusCode()).isEqualTo(200);
    assertThat(sim.faults().isDown()).isTrue();
    assertThat(http.api("GET", "/keys", null).statusCode()).isEqualTo(503);
    assertThat(http.control("PUT", "/faults", Map.of("errorRate", 2)).statusCode()).isEqualTo(400);
    assertThat(json(http.control("GET", "/faults", null)).path("latencyMs").asInt()).isEqualTo(5);

    HttpResponse<String> l = http.control("PUT", "/limits", Map.of("mutationsPer10s", 7));
    assertThat(l.statusCode()).isEqualTo(200);
    assertThat(json(l).path("mutationsPer10s").asInt()).isEqualTo(7);
    assertThat(json(l).path("attemptsPer15min").asInt()).isEqualTo(1800);
    assertThat(http.control("PUT", "/limits", Map.of("mutationsPer10s", -1)).statusCode()).isEqualTo(400);
    assertThat(http.control("PUT", "/limits", Map.of("other", 1)).statusCode()).isEqualTo(400);
    assertThat(sim.mutationsPer10s()).isEqualTo(7);

    assertThat(http.control("POST", "/reset?faults=true", null).statusCode()).isEqualTo(200);
    assertThat(sim.faults().isDown()).isFalse();

    assertThat(http.control("POST", "/console-keys", Map.of("key", "console-ops", "scopes",
        List.of("can_access_keys"))).statusCode()).isEqualTo(201);
    assertThat(http.apiAs("console-ops", "GET", "/keys", null).statusCode()).isEqualTo(200);
    assertThat(http.listedWithKey("")).as("console credentials are not listed").isEmpty();
    assertThat(http.control("POST", "/console-keys", Map.of("scopes", List.of())).statusCode()).isEqualTo(400);
    assertThat(http.control("GET", "/nothing", null).statusCode()).isEqualTo(404);
  }

  @Test
  void cliStartsStatsigOnlyWithAPort() {
    SimulatorMain off = new SimulatorMain();
    new CommandLine(off).parseArgs("--port", "0");
    assertThat(off.statsigConfig()).isNull();
    SimulatorMain on = new SimulatorMain();
    new CommandLine(on).parseArgs("--port", "0", "--statsig-port", "18091", "--statsig-console-key", "console-x",
        "--latency-ms", "3", "--harness-migrated");
    StatsigSimulatorConfig c = on.statsigConfig();
    assertThat(c.port()).isEqualTo(18091);
    assertThat(c.consoleKey()).isEqualTo("console-x");
    assertThat(c.faults().getLatencyMs()).isEqualTo(3);
    assertThat(on.harnessMigrated).as("FME flags still parse").isTrue();
  }
}
