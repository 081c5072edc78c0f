package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulatorBasicsTest {

  @Test
  void simKeyToStringRedactsTheValue() {
    SimKey k = new SimKey("n", "id-1", "supersecretvalue0123456789abcdefghij", "admin", null, List.of(),
        List.of("API_ALL_GRANTED"), true, Instant.now(), null);
    assertThat(k.toString()).contains("key=<redacted>").contains("id-1").doesNotContain("supersecretvalue");
  }

  @Test
  void bindsLoopbackAndExposesUrls() {
    try (FmeSimulator sim = FmeSimulator.start(SimulatorConfig.defaults().port(0))) {
      assertThat(sim.port()).isPositive();
      assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port() + "/internal/api/v2");
      assertThat(sim.adminToken()).isEqualTo("sim-admin-token");
      assertThat(sim.projectId("Default")).isNotEqualTo(sim.projectId("Shop"));
      assertThat(sim.environmentId("Shop", "Production")).isNotEqualTo(sim.environmentId("Default", "Production"));
      assertThatThrownBy(() -> sim.environmentId("Shop", "Nope")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void closeStopsTheServer() throws Exception {
    FmeSimulator sim = FmeSimulator.start(SimulatorConfig.defaults().port(0));
    SimHttp http = new SimHttp(sim);
    assertThat(http.api("GET", "/workspaces", null).statusCode()).isEqualTo(200);
    sim.close();
    assertThatThrownBy(() -> new SimHttp(sim).api("GET", "/workspaces", null)).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void seedFileReplacesDefaults(@TempDir Path dir) throws Exception {
    Path seed = dir.resolve("seed.json");
    Files.writeString(seed, """
        {"adminTokens":[{"token":"viewer","roles":["API_FEATURE_FLAG_VIEWER"]},
                        {"token":"root","roles":["API_ALL_GRANTED"]}],
         "projects":[{"name":"Payments","environments":["prod","dev"]}]}
        """);
    try (FmeSimulator sim = FmeSimulator.start(SimulatorConfig.fromSeedFile(seed).port(0))) {
      SimHttp http = new SimHttp(sim);
      assertThat(sim.adminToken()).isEqualTo("root");
      assertThat(http.apiAs("sim-admin-token", "GET", "/workspaces", null).statusCode()).isEqualTo(401);
      assertThat(http.apiAs("viewer", "GET", "/workspaces", null).statusCode()).as("a viewer cannot list projects")
          .isEqualTo(401);
      assertThat(http.apiAs("viewer", "POST", "/apiKeys", SimHttp.globalAdmin("x", List.of())).statusCode())
          .isEqualTo(403);
      HttpResponse<String> ws = http.api("GET", "/workspaces", null);
      assertThat(json(ws).path("totalCount").asInt()).isEqualTo(1);
      assertThat(json(ws).path("objects").get(0).path("name").asText()).isEqualTo("Payments");
      assertThat(json(http.api("GET", "/environments/ws/" + sim.projectId("Payments"), null)).get(0)
          .path("production").asBoolean()).isTrue();
    }
  }

  @Test
  void concurrentCreatesAreAllRecorded() throws Exception {
    try (FmeSimulator sim = FmeSimulator.start(SimulatorConfig.defaults().port(0))) {
      SimHttp http = new SimHttp(sim);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
          String name = "k" + i;
          Callable<Integer> call = () -> http.api("POST", "/apiKeys", http.serverSide(name, "Shop", "Production"))
              .statusCode();
          results.add(pool.submit(call));
        }
        for (Future<Integer> f : results) {
          assertThat(f.get()).isEqualTo(201);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(sim.createCount()).isEqualTo(80);
      assertThat(sim.keys()).hasSize(80);
      assertThat(new HashSet<>(sim.keys().stream().map(SimKey::key).toList())).hasSize(80);
      assertThat(sim.requestCounts()).containsEntry("POST /apiKeys 201", 80);
    }
  }

  @Test
  void cliParsesFlagsAndPrintsHelp() {
    SimulatorMain main = new SimulatorMain();
    new CommandLine(main).parseArgs("--port", "0", "--admin-token", "t", "--latency-ms", "5", "--error-rate", "0.1",
        "--rate-limit", "3", "--no-create-id");
    assertThat(main.port).isZero();
    assertThat(main.adminToken).isEqualTo("t");
    assertThat(main.latencyMs).isEqualTo(5);
    assertThat(main.errorRate).isEqualTo(0.1);
    assertThat(main.rateLimit).isEqualTo(3.0);
    assertThat(main.noCreateId).isTrue();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cl = new CommandLine(new SimulatorMain());
    cl.setOut(new PrintWriter(out, true));
    assertThat(cl.execute("--help")).isZero();
    assertThat(out.toString()).contains("--port", "--seed", "--admin-token", "--latency-ms", "--error-rate",
        "--rate-limit", "--no-create-id");
    SimulatorMain defaults = new SimulatorMain();
    new CommandLine(defaults).parseArgs();
    assertThat(defaults.port).isEqualTo(8090);
  }
}
