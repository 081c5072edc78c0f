package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.json;
import static dev.apikeyoperator.simulator.StatsigHttp.body;
import static dev.apikeyoperator.simulator.StatsigHttp.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What Statsig's own documents allow and a tidy fake hides: strict by default, each leniency a switch. */
class StatsigVendorRulesTest extends StatsigSimulatorTestBase {

  @Test
  void patchAnswersLikeTheOfficialExampleWithoutAKey() throws Exception {
    String key = http.create("SERVER", "before", "environments", List.of("staging")).path("key").asText();
    HttpResponse<String> r = http.api("PATCH", "/keys/" + key, Map.of("description", "after",
        "environments", List.of("production"), "targetAppID", "web", "secondaryTargetAppIDs", List.of("ios")));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode d = json(r).path("data");
    assertThat(d.has("key")).as("no key in the answer").isFalse();
    assertThat(texts(d.path("environments"))).containsExactly("production");
    assertThat(d.path("targetAppID").asText()).isEqualTo("web");
    assertThat(texts(d.path("secondaryTargetAppIDs"))).containsExactly("ios");
    assertThat(sim.keys().get(0).description()).as("the update was applied").isEqualTo("after");

    sim.rules().setUpdateAnswersFullKey(true);
    JsonNode full = json(http.api("PATCH", "/keys/" + key, Map.of("description", "again"))).path("data");
    assertThat(full.path("key").asText()).isEqualTo(key);
    assertThat(full.path("description").asText()).isEqualTo("again");
  }

  @Test
  void listsHoldKeylessScimAndOrgEntriesUnlessSwitchedOff() throws Exception {
    String mine = http.create("SERVER", "mine").path("key").asText();
    JsonNode page = json(http.api("GET", "/keys", null));
    JsonNode data = page.path("data");
    assertThat(data).hasSize(3);
    List<String> types = new ArrayList<>();
    data.forEach(d -> types.add(d.path("type").asText()));
    assertThat(types).containsExactly("SCIM", "ORG", "SERVER");
    assertThat(data.get(0).has("key")).isTrue();
    assertThat(data.get(0).path("key").isNull()).as("key is nullable").isTrue();
    assertThat(data.get(1).path("key").isNull()).isTrue();
    assertThat(data.get(2).path("key").asText()).isEqualTo(mine);
    assertThat(page.path("pagination").path("totalItems").asInt()).isEqualTo(3);
    assertThat(sim.keys()).as("not keys of the simulator's own").hasSize(1);

    sim.rules().setOtherKeyTypesListed(false);
    JsonNode tidy = json(http.api("GET", "/keys", null)).path("data");
    assertThat(tidy).hasSize(1);
    assertThat(tidy.get(0).path("key").asText()).isEqualTo(mine);
  }

  @Test
  void theQuotaCountsRejectedAttemptsAndItsRepliesHaveNoRetryAfter() throws Exception {
    assertThat(sim.attemptsPer15min()).as("documented default").isEqualTo(1800);
    assertThat(sim.mutationsPer10s()).as("burst protection").isEqualTo(100);
    sim.setMutationLimits(0, 3);
    for (int i = 0; i < 3; i++) {
      http.create("SERVER", "k" + i);
    }
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = http.api("POST", "/keys", body("SERVER", "bounced"));
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("Retry-After")).isEmpty();
    }
    assertThat(http.api("GET", "/keys", null).statusCode()).as("reads are not limited").isEqualTo(200);
    // 3 admitted + 2 rejected attempts count: a quota of 5 is used up
    sim.setMutationLimits(0, 5);
    assertThat(http.api("POST", "/keys", body("SERVER", "still")).statusCode()).isEqualTo(429);
    assertThat(sim.keys()).hasSize(3);
  }

  @Test
  void rejectedAttemptsCanBeMadeFree() throws Exception {
    sim.rules().setRejectedAttemptsCount(false);
    sim.setMutationLimits(0, 3);
    for (int i = 0; i < 3; i++) {
      http.create("SERVER", "k" + i);
    }
    assertThat(http.api("POST", "/keys", body("SERVER", "bounced")).statusCode()).isEqualTo(429);
    assertThat(http.api("POST", "/keys", body("SERVER", "bounced")).statusCode()).isEqualTo(429);
    sim.setMutationLimits(0, 4);
    assertThat(http.api("POST", "/keys", body("SERVER", "fits")).statusCode()).isEqualTo(201);
  }

  @Test
  void createAnswers201OrWhenSwitched200() throws Exception {
    assertThat(http.api("POST", "/keys", body("SERVER", "live")).statusCode()).isEqualTo(201);
    sim.rules().setCreateAnswers200(true);
    HttpResponse<String> r = http.api("POST", "/keys", body("SERVER", "spec"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("data").path("key").asText()).startsWith("secret-");
    assertThat(sim.keys()).hasSize(2);
  }

  @Test
  void listLimitDefaultsToTen() throws Exception {
    for (int i = 0; i < 12; i++) {
      http.create("SERVER", "k" + i);
    }
    JsonNode page = json(http.api("GET", "/keys", null));
    assertThat(page.path("data")).hasSize(10);
    assertThat(page.path("pagination").path("itemsPerPage").asInt()).isEqualTo(10);
    assertThat(page.path("pagination").path("nextPage").asText()).isEqualTo("/console/v1/keys?page=2&limit=10");

    sim.rules().setDefaultListLimit(100);
    assertThat(json(http.api("GET", "/keys", null)).path("data")).hasSize(14);
  }

  @Test
  void rulesAndLimitsControlEndpoints() throws Exception {
    assertThat(json(http.control("GET", "/rules", null))).isEqualTo(SimHttp.JSON.valueToTree(
        new StatsigRules().toMap()));
    HttpResponse<String> r = http.control("PUT", "/rules", Map.of("updateAnswersFullKey", true,
        "defaultListLimit", 50, "rateLimitRetryAfter", true));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sim.rules().isUpdateAnswersFullKey()).isTrue();
    assertThat(sim.rules().getDefaultListLimit()).isEqualTo(50);
    assertThat(http.control("PUT", "/rules", Map.of("createAnswers200", true, "defaultListLimit", 0)).statusCode())
        .as("invalid: nothing changes").isEqualTo(400);
    assertThat(sim.rules().isCreateAnswers200()).isFalse();
    assertThat(http.control("PUT", "/rules", Map.of("nope", 1)).statusCode()).isEqualTo(400);

    JsonNode limits = json(http.control("PUT", "/limits", Map.of("attemptsPer15min", 2)));
    assertThat(limits.path("attemptsPer15min").asInt()).isEqualTo(2);
    http.create("SERVER", "a");
    http.create("SERVER", "b");
    HttpResponse<String> limited = http.api("POST", "/keys", body("SERVER", "c"));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).as("switched on").isPresent();
  }

  @Test
  void cliFlagsTurnTheLeniencesOn() {
    SimulatorMain strict = new SimulatorMain();
    new CommandLine(strict).parseArgs("--statsig-port", "18091");
    StatsigSimulatorConfig s = strict.statsigConfig();
    assertThat(s.rules().toMap()).isEqualTo(new StatsigRules().toMap());
    assertThat(s.attemptsPer15min()).isEqualTo(1800);
    assertThat(s.mutationsPer10s()).isEqualTo(100);

    SimulatorMain lenient = new SimulatorMain();
    new CommandLine(lenient).parseArgs("--statsig-port", "18091", "--statsig-mutations-per-10s", "0",
        "--statsig-attempts-per-15min", "900", "--statsig-rejected-attempts-free", "--statsig-retry-after",
        "--statsig-full-update-answers", "--statsig-no-other-key-types", "--statsig-create-200",
        "--statsig-default-list-limit", "100");
    StatsigSimulatorConfig c = lenient.statsigConfig();
    assertThat(c.mutationsPer10s()).isZero();
    assertThat(c.attemptsPer15min()).isEqualTo(900);
    assertThat(c.rules().isRejectedAttemptsCount()).isFalse();
    assertThat(c.rules().isRateLimitRetryAfter()).isTrue();
    assertThat(c.rules().isUpdateAnswersFullKey()).isTrue();
    assertThat(c.rules().isOtherKeyTypesListed()).isFalse();
    assertThat(c.rules().isCreateAnswers200()).isTrue();
    assertThat(c.rules().getDefaultListLimit()).isEqualTo(100);
    try (StatsigSimulator other = StatsigSimulator.start(c.port(0))) {
      assertThat(other.rules().isCreateAnswers200()).as("the config's rules are the simulator's").isTrue();
      assertThat(other.attemptsPer15min()).isEqualTo(900);
    }
  }
}
