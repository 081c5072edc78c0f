package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultsTest extends FmeSimulatorTestBase {

  @Test
  void rateLimitAnswers429WithTheFourHeadersAndRetryAfter() throws Exception {
    sim.faults().setRateLimitPerSecond(2); // burst 2
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(200);
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(200);
    HttpResponse<String> r = http.api("POST", "/apiKeys", http.serverSide("k", "Shop", "Production"));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("X-RateLimit-Remaining-Org")).hasValue("0");
    assertThat(r.headers().firstValue("X-RateLimit-Remaining-IP")).hasValue("0");
    assertThat(r.headers().firstValue("X-RateLimit-Reset-Seconds-Org")).hasValue("1");
    assertThat(r.headers().firstValue("X-RateLimit-Reset-Seconds-IP")).hasValue("1");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(sim.keys()).as("a throttled create does nothing").isEmpty();
    assertThat(sim.requestCounts()).containsEntry("POST /apiKeys 429", 1).containsEntry("GET /workspaces 200", 2);
  }

  @Test
  void resetSecondsAreRoundedUpTimeUntilATokenIsAvailable() throws Exception {
    sim.faults().setRateLimitPerSecond(0.25); // one token every 4 s, burst 1
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(200);
    HttpResponse<String> r = http.api("GET", "/workspaces", null);
    assertThat(r.statusCode()).isEqualTo(429);
    long reset = Long.parseLong(r.headers().firstValue("X-RateLimit-Reset-Seconds-Org").orElseThrow());
    assertThat(reset).isBetween(3L, 4L);
  }

  @Test
  void rateLimitRecoversAfterTheResetDelay() throws Exception {
    sim.faults().setRateLimitPerSecond(1); // burst 1, one token per second
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(200);
    HttpResponse<String> throttled = http.api("GET", "/workspaces", null);
    assertThat(throttled.statusCode()).isEqualTo(429);
    long wait = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
    Thread.sleep(wait * 1000 + 50);
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(200);
    sim.faults().setRateLimitPerSecond(0);
    for (int i = 0; i < 5; i++) {
      assertThat(http.api("GET", "/workspaces", null).statusCode()).as("limit off").isEqualTo(200);
    }
  }

  @Test
  void retryAfterOnlyModeOmitsTheRateLimitHeaders() throws Exception {
    sim.faults().setRateLimitPerSecond(1).setRateLimitHeaders(false);
    http.api("GET", "/workspaces", null);
    HttpResponse<String> r = http.api("GET", "/workspaces", null);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(r.headers().map().keySet())
        .noneMatch(h -> h.toLowerCase().startsWith("x-ratelimit"));
  }

  @Test
  void errorRateOneAnswers500BeforeDoingAnything() throws Exception {
    sim.faults().setErrorRate(1.0);
    HttpResponse<String> r = http.api("POST", "/apiKeys", http.serverSide("k", "Shop", "Production"));
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isNotBlank();
    assertThat(sim.keys()).isEmpty();
    assertThat(http.apiAs("bad-token", "GET", "/workspaces", null).statusCode())
        .as("faults come before authentication").isEqualTo(500);
    assertThat(sim.requestCounts()).containsEntry("POST /apiKeys 500", 1);
    sim.faults().setErrorRate(0);
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(200);
  }

  @Test
  void downAnswers503() throws Exception {
    sim.faults().setDown(true).setErrorRate(1.0);
    HttpResponse<String> r = http.api("POST", "/apiKeys", http.serverSide("k", "Shop", "Production"));
    assertThat(r.statusCode()).as("down wins over the error rate").isEqualTo(503);
    assertThat(r.body()).containsIgnoringCase("service unavailable");
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(503);
    assertThat(sim.keys()).isEmpty();
    assertThat(http.control("GET", "/stats", null).statusCode()).as("control endpoints stay up").isEqualTo(200);
  }

  @Test
  void latencyIsAddedToEveryApiRequest() throws Exception {
    sim.faults().setLatencyMs(300);
    long start = System.nanoTime();
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(200);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
  }

  @Test
  void droppedCreateResponseCreatesTheKeyButSendsNothing() throws Exception {
    sim.faults().setDropCreateResponses(1);
    assertThatThrownBy(() -> http.api("POST", "/apiKeys", http.serverSide("lost", "Shop", "Production")))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
    assertThat(sim.keys()).hasSize(1);
    assertThat(sim.keys().get(0).name()).isEqualTo("lost");
    assertThat(sim.keys().get(0).active()).isTrue();
    assertThat(sim.createCount()).isEqualTo(1);
    assertThat(sim.faults().getDropCreateResponses()).isZero();
    assertThat(sim.requestCounts()).containsEntry("POST /apiKeys dropped", 1).doesNotContainKey("POST /apiKeys 201");

    HttpResponse<String> next = http.api("POST", "/apiKeys", http.serverSide("next", "Shop", "Production"));
    assertThat(next.statusCode()).isEqualTo(201);
    assertThat(sim.createCount()).isEqualTo(2);
  }

  @Test
  void dropAllCreateResponses() throws Exception {
    sim.faults().setDropAllCreateResponses(true);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> http.api("POST", "/apiKeys", SimHttp.globalAdmin("g", List.of())))
          .isInstanceOf(IOException.class);
    }
    assertThat(sim.activeKeys()).hasSize(2);
    assertThat(http.api("GET", "/workspaces", null).statusCode()).as("other routes still answer").isEqualTo(200);
    assertThat(http.api("POST", "/apiKeys", "{}").statusCode()).as("invalid creates still answer").isEqualTo(400);
  }

  @Test
  void invalidFaultValuesAreRejected() {
    assertThatThrownBy(() -> sim.faults().setErrorRate(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sim.faults().setLatencyMs(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sim.faults().setRateLimitPerSecond(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void initialFaultsComeFromTheConfig() throws Exception {
    SimulatorConfig config = SimulatorConfig.defaults().port(0);
    config.faults().setDown(true).setCreateResponsesIncludeId(false);
    try (FmeSimulator other = FmeSimulator.start(config)) {
      SimHttp otherHttp = new SimHttp(other);
      assertThat(otherHttp.api("GET", "/workspaces", null).statusCode()).isEqualTo(503);
      other.faults().setDown(false);
      HttpResponse<String> r = otherHttp.api("POST", "/apiKeys", SimHttp.globalAdmin("g", List.of()));
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(json(r).has("id")).isFalse();
    }
    assertThat(config.faults().isDown()).as("the config's faults are copied, not shared").isTrue();
  }
}
