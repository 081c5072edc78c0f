package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.json;
import static dev.apikeyoperator.simulator.StatsigHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatsigAuthFaultsTest extends StatsigSimulatorTestBase {

  @BeforeAll
  void addReadOnlyConsoleKey() {
    sim.addConsoleKey("console-read-only", List.of("omni_read_only"));
  }

  @Test
  void unknownMissingOrNonConsoleKeysAre401() throws Exception {
    HttpResponse<String> unknown = http.apiAs("console-nope", "GET", "/keys", null);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(json(unknown).path("status").asInt()).isEqualTo(401);
    assertThat(json(unknown).path("message").asText()).isNotBlank();
    assertThat(http.raw("GET", "/keys", null, "STATSIG-API-VERSION", "20240601").statusCode()).isEqualTo(401);
    String server = http.create("SERVER", "s").path("key").asText();
    assertThat(http.apiAs(server, "GET", "/keys", null).statusCode()).as("server keys cannot call").isEqualTo(401);
    assertThat(http.apiAs("console-nope", "POST", "/keys", body("SERVER", "x")).statusCode()).isEqualTo(401);
    assertThat(sim.keys()).hasSize(1);
  }

  @Test
  void consoleKeyWithoutCanAccessKeysIs403() throws Exception {
    HttpResponse<String> r = http.apiAs("console-read-only", "GET", "/keys", null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).path("status").asInt()).isEqualTo(403);
    String noScope = http.create("CONSOLE", "no scope").path("key").asText();
    assertThat(http.apiAs(noScope, "POST", "/keys", body("SERVER", "x")).statusCode()).isEqualTo(403);
    assertThat(sim.keys()).hasSize(1);
  }

  @Test
  void inactiveConsoleKeysAre401() throws Exception {
    String ci = http.create("CONSOLE", "ci", "scopes", List.of("can_access_keys")).path("key").asText();
    assertThat(http.apiAs(ci, "GET", "/keys", null).statusCode()).isEqualTo(200);
    assertThat(http.api("PATCH", "/keys/" + ci + "/deactivate", null).statusCode()).isEqualTo(200);
    assertThat(http.apiAs(ci, "GET", "/keys", null).statusCode()).isEqualTo(401);

    sim.deactivateOutside(sim.consoleKey());
    assertThat(http.api("GET", "/keys", null).statusCode()).as("seeded key deactivated").isEqualTo(401);
    sim.reset();
    assertThat(http.api("GET", "/keys", null).statusCode()).as("reset reactivates seeded keys").isEqualTo(200);
  }

  @Test
  void apiVersionHeaderIsRequiredAndChecked() throws Exception {
    HttpResponse<String> missing = http.raw("GET", "/keys", null, "STATSIG-API-KEY", sim.consoleKey());
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(json(missing).path("status").asInt()).isEqualTo(400);
    assertThat(json(missing).path("message").asText()).contains("STATSIG-API-VERSION");
    assertThat(http.raw("POST", "/keys", body("SERVER", "x"), "STATSIG-API-KEY", sim.consoleKey(),
        "STATSIG-API-VERSION", "20230101").statusCode()).isEqualTo(400);
    assertThat(sim.keys()).isEmpty();

    StatsigSimulatorConfig lenient = StatsigSimulatorConfig.defaults().port(0).apiVersionRequired(false);
    try (StatsigSimulator other = StatsigSimulator.start(lenient)) {
      StatsigHttp o = new StatsigHttp(other);
      assertThat(o.raw("GET", "/keys", null, "STATSIG-API-KEY", other.consoleKey()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void mutationsOverTheTenSecondLimitAre429WithoutRetryAfter() throws Exception {
    sim.setMutationLimits(3, 1800);
    String key = http.create("SERVER", "a").path("key").asText();
    assertThat(http.api("PATCH", "/keys/" + key, Map.of("description", "b")).statusCode()).isEqualTo(200);
    assertThat(http.api("DELETE", "/keys/secret-unknown", null).statusCode()).as("failed mutations count too")
        .isEqualTo(404);
    HttpResponse<String> r = http.api("POST", "/keys", body("SERVER", "too many"));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(json(r).path("status").asInt()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).as("Statsig documents no Retry-After").isEmpty();
    assertThat(sim.keys()).hasSize(1);
    for (int i = 0; i < 5; i++) {
      assertThat(http.api("GET", "/keys", null).statusCode()).as("reads are not limited").isEqualTo(200);
    }
    assertThat(sim.requestCounts()).containsEntry("POST /keys 429", 1);
  }

  @Test
  void mutationsOverTheFifteenMinuteLimitAre429WithALongRetryAfterWhenSwitchedOn() throws Exception {
    sim.rules().setRateLimitRetryAfter(true);
    sim.setMutationLimits(100, 2);
    http.create("SERVER", "a");
    http.create("SERVER", "b");
    HttpResponse<String> r = http.api("POST", "/keys", body("SERVER", "c"));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(880L, 900L);
    sim.setMutationLimits(100, 0);
    assertThat(http.api("POST", "/keys", body("SERVER", "c")).statusCode()).as("limit off").isEqualTo(201);
  }

  @Test
  void mutationLimitsComeFromTheConfig() throws Exception {
    try (StatsigSimulator other = StatsigSimulator.start(
        StatsigSimulatorConfig.defaults().port(0).mutationsPer10s(1))) {
      StatsigHttp o = new StatsigHttp(other);
      assertThat(other.mutationsPer10s()).isEqualTo(1);
      assertThat(other.attemptsPer15min()).isEqualTo(1800);
      assertThat(o.api("POST", "/keys", body("SERVER", "a")).statusCode()).isEqualTo(201);
      assertThat(o.api("POST", "/keys", body("SERVER", "b")).statusCode()).isEqualTo(429);
    }
  }

  @Test
  void faultsRateLimiterAnswers429WithRetryAfter() throws Exception {
    sim.faults().setRateLimitPerSecond(1);
    assertThat(http.api("GET", "/keys", null).statusCode()).isEqualTo(200);
    HttpResponse<String> r = http.api("GET", "/keys", null);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(r).path("status").asInt()).isEqualTo(429);
  }

  @Test
  void downErrorRateAndLatency() throws Exception {
    sim.faults().setDown(true).setErrorRate(1.0);
    assertThat(http.api("POST", "/keys", body("SERVER", "x")).statusCode()).isEqualTo(503);
    sim.faults().setDown(false);
    assertThat(http.apiAs("console-nope", "GET", "/keys", null).statusCode()).as("faults before auth")
        .isEqualTo(500);
    assertThat(sim.keys()).isEmpty();
    sim.faults().setErrorRate(0).setLatencyMs(200);
    long start = System.nanoTime();
    assertThat(http.api("GET", "/keys", null).statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
    assertThat(sim.requestCounts()).containsEntry("POST /keys 503", 1).containsEntry("GET /keys 500", 1);
  }

  @Test
  void droppedCreateResponseCreatesTheKeyThenClosesTheConnection() throws Exception {
    sim.faults().setDropCreateResponses(1);
    assertThatThrownBy(() -> http.api("POST", "/keys", body("SERVER", "lost")))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
    assertThat(sim.keys()).hasSize(1);
    assertThat(sim.keys().get(0).description()).isEqualTo("lost");
    assertThat(sim.createCount()).isEqualTo(1);
    assertThat(sim.requestCounts()).containsEntry("POST /keys dropped", 1);
    // unlike FME, the lost key can be found again by listing
    assertThat(http.listedWithKey("").get(0).path("description").asText()).isEqualTo("lost");
    assertThat(http.api("POST", "/keys", body("SERVER", "next")).statusCode()).isEqualTo(201);
  }
}
