package dev.apikeyoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyoperator.testkit.MockKubernetes;
import dev.apikeyoperator.testkit.RealUnleashServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kill -9 proof for Unleash tokens, against the real Unleash server: the operator jar runs as a child process
 * against fabric8's mock API server, and is killed with SIGKILL at random moments while ApiKeys are created, rotated
 * and deleted, then restarted, cycle after cycle. A last process runs to quiescence, and every token on the real
 * server is accounted for: each live ApiKey has exactly the one token its Secret holds (0 duplicate), each deleted
 * ApiKey none, no token of the operator's is left that no ApiKey owns (0 lost), and a foreign token is untouched.
 * A token whose create answer a kill cut off is found again by its unique name (Unleash lists tokens by name): the
 * operator reaches Unleash through a {@link SlowCreateProxy} that holds every create answer back for 500 ms, and the
 * first SIGKILL waits for such a moment, so at least one create is surely cut off.
 *
 * <p>System properties: {@code unleashKillCycles} (default 4), {@code unleashKillKeys} (default 10, more each
 * cycle), {@code killSeed}, {@code operator.jar}, {@code crds.dir}, {@code work.dir}.
 */
class UnleashKillNineIT {
  private static final String NS = "kill9u";
  private static final String GROUP = "apikeyoperator.dev";
  private static final String API_VERSION = GROUP + "/v1alpha1";
  private static final String ROTATE = "apikeyoperator.dev/rotate-requested-at";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceDefinitionContext API_KEYS = new ResourceDefinitionContext.Builder()
      .withGroup(GROUP).withVersion("v1alpha1").withKind("ApiKey").withPlural("apikeys").withNamespaced(true).build();
  private static final int CYCLES = Integer.getInteger("unleashKillCycles", 4);
  private static final int KEYS = Integer.getInteger("unleashKillKeys", 10);
  private static final long SEED = Long.getLong("killSeed", new Random().nextLong());
  private static final Duration READY_WAIT = Duration.ofSeconds(180);
  private static final Duration FINAL_WAIT = Duration.ofSeconds(240);
  private static final String FOREIGN = NS + "-foreign-token";

  static RealUnleashServer unleash;
  static MockKubernetes mock;
  static KubernetesClient client;
  static Path workDir;
  static Path kubeconfig;
  static Process operator;
  static int operatorPort;
  static int processes;
  static String foreignSecret;
  static SlowCreateProxy proxy;

  final Random random = new Random(SEED);
  /** Every ApiKey created, and whether the test deleted it. */
  final Map<String, Boolean> deleted = new LinkedHashMap<>();
  final List<String> timeline = new ArrayList<>();
  int kills;
  boolean inFlightAtKill;

  @BeforeAll
  static void startWorld() throws Exception {
    try {
      unleash = RealUnleashServer.shared();
    } catch (RealUnleashServer.Unavailable e) {
      if (RealUnleashServer.required()) {
        Assertions.fail(RealUnleashServer.REQUIRE_ENV + "=true, but " + e.getMessage());
      }
      System.out.println("Skipped: " + e.getMessage()); // shown in the build's output, not only the report
      Assumptions.abort("Skipped: " + e.getMessage());
    }
    workDir = Path.of(System.getProperty("work.dir", "target/kill9")).resolveSibling("kill9-unleash");
    Files.createDirectories(workDir);
    try (Stream<Path> old = Files.list(workDir)) {
      for (Path p : old.toList()) {
        Files.deleteIfExists(p);
      }
    }
    mock = MockKubernetes.start(Path.of(System.getProperty("crds.dir", "../crds")));
    client = mock.client();
    kubeconfig = mock.writeKubeconfig(workDir.resolve("kubeconfig"), "kill9u-test-token", NS);
    mock.createNamespace(NS);
    mock.createSecret(NS, "unleash-admin", "token", unleash.adminToken());
    proxy = new SlowCreateProxy(unleash.baseUrl(), Duration.ofMillis(500));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("unleash", Map.of("baseUrl", proxy.baseUrl(), "credentials",
        Map.of("secretRef", Map.of("name", "unleash-admin"))));
    client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup(GROUP)
        .withVersion("v1alpha1").withKind("ApiKeyProvider").withPlural("apikeyproviders").withNamespaced(true)
        .build()).inNamespace(NS).resource(resource("ApiKeyProvider", "unleash", spec)).create();
    foreignSecret = adminCall("POST", "/api/admin/api-tokens", "{\"tokenName\":\"" + FOREIGN + "\",\"type\":"
        + "\"backend\",\"environment\":\"development\",\"projects\":[\"default\"]}").get("secret").asText();
  }

  @AfterAll
  static void stopWorld() {
    killOperator();
    if (proxy != null) {
      proxy.close();
    }
    if (mock != null) {
      mock.close();
    }
  }

  @Test
  void killNineWhileTokensAreCreatedRotatedAndDeletedLosesAndDuplicatesNone() throws Exception {
    int next = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      startOperator();
      awaitOperatorReady();
      int batch = cycle == 0 ? KEYS : 2;
      for (int i = 0; i < batch; i++) {
        createApiKey("k" + next++);
      }
      if (cycle > 0) {
        List<String> live = live();
        for (int i = 0; i < 2 && !live.isEmpty(); i++) {
          String name = live.get(random.nextInt(live.size()));
          edit(name, r -> annotations(r).put(ROTATE, "cycle-" + System.nanoTime()));
          log("cycle %d: rotation requested for %s", cycle, name);
        }
        String gone = live.get(random.nextInt(live.size()));
        apiKeys().withName(gone).delete();
        deleted.put(gone, true);
        log("cycle %d: deleted %s", cycle, gone);
      }
      long delay;
      if (cycle == 0) {
        // the first kill lands while a create is surely in flight: made at Unleash, its answer not yet back
        long start = System.nanoTime();
        while (!proxy.createInFlight() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
          Thread.sleep(5);
        }
        delay = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        inFlightAtKill = proxy.createInFlight();
      } else {
        delay = 100 + random.nextInt(1500);
        Thread.sleep(delay);
      }
      killNine(cycle, delay);
    }
    startOperator();
    awaitOperatorReady();
    boolean settled = awaitSettled();
    report(settled);
  }

  private void report(boolean settled) throws Exception {
    Map<String, List<JsonNode>> byOwner = new TreeMap<>();
    boolean foreignAlive = false;
    for (JsonNode t : adminCall("GET", "/api/admin/api-tokens", null).get("tokens")) {
      String name = t.get("tokenName").asText();
      if (name.equals(FOREIGN)) {
        foreignAlive = t.get("secret").asText().equals(foreignSecret);
      } else if (name.startsWith(NS + "-")) {
        byOwner.computeIfAbsent(owner(name), k -> new ArrayList<>()).add(t);
      }
    }
    List<String> problems = new ArrayList<>();
    int lost = 0;
    int duplicates = 0;
    for (Map.Entry<String, Boolean> e : deleted.entrySet()) {
      List<JsonNode> tokens = byOwner.getOrDefault(e.getKey(), List.of());
      if (e.getValue()) {
        if (!tokens.isEmpty()) {
          lost += tokens.size();
          problems.add(e.getKey() + " was deleted but still has " + tokens.size() + " token(s) at Unleash");
        }
        continue;
      }
      String value = secretValue(client.secrets().inNamespace(NS).withName(e.getKey()).get());
      long held = tokens.stream().filter(t -> t.get("secret").asText().equals(value)).count();
      if (held != 1) {
        problems.add(e.getKey() + ": its Secret holds " + (value == null ? "nothing" : "a value") + " matching "
            + held + " token(s) at Unleash");
        lost++;
      }
      if (tokens.size() > 1) {
        duplicates += tokens.size() - 1;
        problems.add(e.getKey() + " has " + tokens.size() + " tokens at Unleash");
      }
    }
    for (String owner : byOwner.keySet()) {
      if (!deleted.containsKey(owner)) {
        lost += byOwner.get(owner).size();
        problems.add("token(s) " + owner + " belong to no ApiKey of the test");
      }
    }
    boolean leaked = operatorLogsHoldASecret(byOwner);
    long recovered = client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "Recovered".equals(e.getReason())).count();
    String text = "kill -9 proof for Unleash (UnleashKillNineIT) against the real server " + unleash.baseUrl()
        + "\nseed " + SEED + ", " + CYCLES + " cycles, " + kills + " SIGKILLs, " + processes + " processes, "
        + deleted.size() + " ApiKeys (" + deleted.values().stream().filter(d -> d).count() + " deleted)\n"
        + "settled: " + settled + "\nlost (tokens unaccounted for, or a Secret without its token): " + lost
        + "\nduplicate tokens: " + duplicates + "\nforeign token untouched: " + foreignAlive
        + "\na create in flight at the first kill: " + inFlightAtKill + " (create answers held back by the proxy: "
        + proxy.heldCreates() + ")"
        + "\ncreates cut off by a kill and found again by name (Recovered events): " + recovered
        + "\na token secret in an operator log: " + leaked + "\nproblems:\n  " + String.join("\n  ", problems)
        + "\ntimeline:\n  " + String.join("\n  ", timeline) + "\n";
    Files.writeString(workDir.resolveSibling("kill9-unleash-report.txt"), text);
    System.out.println(text);
    assertTrue(settled, "every ApiKey settled (see " + workDir + ")\n" + text);
    assertEquals(0, lost, text);
    assertEquals(0, duplicates, text);
    assertTrue(foreignAlive, text);
    assertTrue(!leaked, text);
    assertTrue(kills == CYCLES, text);
    assertTrue(inFlightAtKill, "the first SIGKILL landed while a create was in flight\n" + text);
    assertTrue(recovered > 0, "a create cut off by a kill was found again by its name\n" + text);
  }

  private boolean operatorLogsHoldASecret(Map<String, List<JsonNode>> byOwner) throws IOException {
    List<String> secrets = byOwner.values().stream().flatMap(List::stream).map(t -> t.get("secret").asText())
        .toList();
    try (Stream<Path> logs = Files.list(workDir)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        String text = Files.readString(log);
        if (secrets.stream().anyMatch(text::contains) || text.contains(unleash.adminToken())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Every live ApiKey KeyReady with only its current token left at Unleash, every deleted one gone. */
  private boolean awaitSettled() throws Exception {
    long deadline = System.nanoTime() + FINAL_WAIT.toNanos();
    List<String> waiting = List.of();
    while (System.nanoTime() < deadline) {
      waiting = new ArrayList<>();
      Map<String, Integer> tokens = new HashMap<>();
      for (JsonNode t : adminCall("GET", "/api/admin/api-tokens", null).get("tokens")) {
        String name = t.get("tokenName").asText();
        if (name.startsWith(NS + "-") && !name.equals(FOREIGN)) {
          tokens.merge(owner(name), 1, Integer::sum);
        }
      }
      for (Map.Entry<String, Boolean> e : deleted.entrySet()) {
        GenericKubernetesResource r = apiKeys().withName(e.getKey()).get();
        if (e.getValue()) {
          if (r != null) {
            waiting.add(e.getKey() + " (being deleted)");
          }
        } else if (!"KeyReady".equals(readyReason(r)) || tokens.getOrDefault(e.getKey(), 0) != 1
            || previousKeys(r) > 0) {
          waiting.add(e.getKey() + " (" + readyReason(r) + ", " + tokens.getOrDefault(e.getKey(), 0) + " tokens)");
        }
      }
      if (waiting.isEmpty()) {
        log("settled");
        return true;
      }
      Thread.sleep(1000);
    }
    log("not settled within %s: %s", FINAL_WAIT, waiting);
    return false;
  }

  private List<String> live() {
    return deleted.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
  }

  private void createApiKey(String name) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("providerRef", Map.of("name", "unleash"));
    spec.put("unleash", Map.of("type", "backend", "environment", "development", "projects", List.of("default")));
    spec.put("rotation", Map.of("gracePeriod", "2s"));
    apiKeys().resource(resource("ApiKey", name, spec)).create();
    deleted.put(name, false);
  }

  private void edit(String name, java.util.function.Consumer<GenericKubernetesResource> change) {
    for (int attempt = 0; attempt < 10; attempt++) {
      GenericKubernetesResource r = apiKeys().withName(name).get();
      change.accept(r);
      try {
        apiKeys().resource(r).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  private void startOperator() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      operatorPort = s.getLocalPort();
    }
    Path jar = Path.of(System.getProperty("operator.jar", "../operator/target/apikey-operator.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("operator jar not found at " + jar.toAbsolutePath()
          + ": build it first (mvn -q -B install -DskipTests)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path logFile = workDir.resolve(String.format("operator-%02d.log", processes));
    ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m",
        "-jar", jar.toAbsolutePath().toString()).redirectErrorStream(true).redirectOutput(logFile.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    pb.environment().put("WATCH_NAMESPACES", NS);
    pb.environment().put("OPERATOR_NAMESPACE", "apikey-operator"); // the seal key's home; one process: no election
    pb.environment().put("LEADER_ELECTION", "false");
    pb.environment().put("HTTP_PORT", Integer.toString(operatorPort));
    pb.environment().put("VENDOR_READ_TIMEOUT", "10s");
    operator = pb.start();
    log("process %d started (pid %d)", processes, operator.pid());
    processes++;
  }

  private void awaitOperatorReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!operator.isAlive()) {
        throw new IllegalStateException("the operator exited with " + operator.exitValue() + "; see " + workDir);
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + operatorPort + "/readyz")
            .toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(1000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the operator was not ready within " + READY_WAIT);
  }

  private void killNine(int cycle, long delayMs) throws InterruptedException {
    long pid = operator.pid();
    operator.destroyForcibly(); // SIGKILL on Linux
    if (!operator.waitFor(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("process " + pid + " survived SIGKILL for 20s");
    }
    kills++;
    log("cycle %d: SIGKILL %d ms after the changes (pid %d, exit %d)", cycle, delayMs, pid, operator.exitValue());
    operator = null;
  }

  static void killOperator() {
    Process p = operator;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    operator = null;
  }

  static JsonNode adminCall(String method, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(unleash.baseUrl() + path))
        .header("Authorization", unleash.adminToken()).timeout(Duration.ofSeconds(20));
    request = json == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
        : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode());
    }
    return JSON.readTree(answer.body());
  }

  private static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> apiKeys() {
    return client.genericKubernetesResources(API_KEYS).inNamespace(NS);
  }

  private static GenericKubernetesResource resource(String kind, String name, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(API_VERSION);
    r.setKind(kind);
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  private static Map<String, String> annotations(GenericKubernetesResource r) {
    if (r.getMetadata().getAnnotations() == null) {
      r.getMetadata().setAnnotations(new HashMap<>());
    }
    return r.getMetadata().getAnnotations();
  }

  @SuppressWarnings("unchecked")
  private static String readyReason(GenericKubernetesResource r) {
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !(status.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    return conditions.stream().map(c -> (Map<String, Object>) c).filter(c -> "Ready".equals(c.get("type")))
        .map(c -> String.valueOf(c.get("reason"))).findFirst().orElse(null);
  }

  private static int previousKeys(GenericKubernetesResource r) {
    return r.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("previousKeys") instanceof List<?> previous ? previous.size() : 0;
  }

  private static String secretValue(Secret s) {
    if (s == null || s.getData() == null || s.getData().get("apiKey") == null) {
      return null;
    }
    return new String(Base64.getDecoder().decode(s.getData().get("apiKey")), StandardCharsets.UTF_8);
  }

  /** The ApiKey a token belongs to: names are {@code <namespace>-<apikey>-<6 characters>}. */
  private static String owner(String tokenName) {
    String prefix = NS + "-";
    return tokenName.length() < prefix.length() + 8 ? tokenName
        : tokenName.substring(prefix.length(), tokenName.length() - 7);
  }

  private void log(String format, Object... args) {
    String line = String.format(format, args);
    timeline.add(line);
    System.out.println("[kill9-unleash] " + line);
  }
}
