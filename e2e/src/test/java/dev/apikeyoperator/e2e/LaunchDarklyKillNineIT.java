package dev.apikeyoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyoperator.simulator.LaunchDarklySimulator;
import dev.apikeyoperator.testkit.ApiKeyKinds;
import dev.apikeyoperator.testkit.MockKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kill -9 proof with LaunchDarkly credentials: the operator jar, run as a process against the mock API server
 * and the LaunchDarkly simulator (with latency, so kills land mid-call), is SIGKILLed at random moments while SDK
 * keys and access tokens are created, rotated (with the vendor's expiry on the replaced key) and deleted. After a
 * last process settles, every SDK key and token at the simulator is the current key of exactly one live ApiKey
 * (0 lost, 0 duplicate), every Secret holds a credential that works, and no creation was left indeterminate
 * (LaunchDarkly keys are found again by id, tokens by name).
 */
class LaunchDarklyKillNineIT {
  private static final String NS = "ldkill9";
  private static final String ROTATE = "apikeyoperator.dev/rotate-requested-at";
  private static final int CYCLES = Integer.getInteger("ldKillCycles", 4);
  private static final int KEYS = Integer.getInteger("ldKillKeys", 16);
  private static final Duration FINAL_WAIT = Duration.ofSeconds(180);

  static Path workDir;
  static MockKubernetes mock;
  static KubernetesClient client;
  static LaunchDarklySimulator ld;
  static Path kubeconfig;
  static Process operator;
  static int operatorPort;
  static int processes;

  final long seed = Long.getLong("ldKillSeed", new Random().nextLong());
  final Random random = new Random(seed);
  /** ApiKey name -> deleted. */
  final Map<String, Boolean> model = new LinkedHashMap<>();
  final List<String> timeline = new ArrayList<>();

  @BeforeAll
  static void startWorld() throws IOException {
    workDir = Path.of(System.getProperty("work.dir", "target/kill9")).resolveSibling("ld-kill9");
    Files.createDirectories(workDir);
    mock = MockKubernetes.start(Path.of(System.getProperty("crds.dir", "../crds")));
    client = mock.client();
    ld = LaunchDarklySimulator.start(0);
    ld.addEnvironment("shop", "production");
    kubeconfig = mock.writeKubeconfig(workDir.resolve("kubeconfig"), "ld-kill9-token", NS);
    mock.createNamespace(NS);
    mock.createSecret(NS, "ld-admin", "token", ld.adminToken());
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("launchDarkly", Map.of("baseUrl", ld.baseUrl(), "readBackInterval", "5s",
        "credentials", Map.of("secretRef", Map.of("name", "ld-admin", "key", "token"))));
    spec.put("policy", Map.of("allowedLaunchDarklyTypes", List.of("sdk", "accessToken")));
    client.genericKubernetesResources(ApiKeyKinds.PROVIDERS).inNamespace(NS)
        .resource(ApiKeyKinds.resource(NS, ApiKeyKinds.PROVIDERS.getKind(), "ld", spec)).create();
  }

  @AfterAll
  static void stopWorld() {
    try {
      kill();
    } finally {
      try {
        ld.close();
      } finally {
        mock.close();
      }
    }
  }

  @Test
  void killNineLosesAndDuplicatesNoLaunchDarklyKey() throws Exception {
    log("seed=%d keys=%d cycles=%d", seed, KEYS, CYCLES);
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      ld.setLatencyMs(100 + random.nextInt(151));
      startOperator();
      if (cycle == 0) {
        for (int i = 0; i < KEYS; i++) {
          create(String.format("ld%02d", i), i % 2 == 0 ? "sdk" : "accessToken");
        }
      }
      Thread.sleep(300 + random.nextInt(1200));
      mutate(cycle);
      Thread.sleep(200 + random.nextInt(1500));
      kill();
      log("cycle %d: SIGKILL; simulator creates so far %d", cycle, ld.createCount());
    }
    ld.setLatencyMs(10);
    startOperator();
    boolean settled = awaitSettled();
    List<String> violations = check();
    kill();
    String report = "kill -9 proof with LaunchDarkly keys (LaunchDarklyKillNineIT)\nseed " + seed + ", " + KEYS
        + " ApiKeys, " + CYCLES + " kills, " + ld.createCount() + " creates at the simulator\nsettled: " + settled
        + "\nviolations: " + violations.size() + "\n" + String.join("\n", violations) + "\ntimeline:\n"
        + String.join("\n", timeline) + "\n";
    System.out.println(report);
    Path file = Path.of(System.getProperty("report.file", "target/kill9-report.txt"))
        .resolveSibling("ld-kill9-report.txt");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, report);
    assertTrue(settled, "the last operator process did not settle; see " + file);
    assertEquals(List.of(), violations, "lost or duplicate keys; see " + file);
  }

  private void create(String name, String type) {
    Map<String, Object> ldSpec = new LinkedHashMap<>(Map.of("type", type, "description", name));
    if (type.equals("sdk")) {
      ldSpec.put("project", "shop");
      ldSpec.put("environment", "production");
    } else {
      ldSpec.put("role", "reader");
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("providerRef", Map.of("name", "ld"));
    spec.put("launchDarkly", ldSpec);
    spec.put("rotation", Map.of("gracePeriod", "2s"));
    apiKeys().resource(ApiKeyKinds.resource(NS, "ApiKey", name, spec)).create();
    model.put(name, false);
  }

  /** Rotates a few live ApiKeys and deletes one. */
  private void mutate(int cycle) {
    List<String> live = model.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    for (int i = 0; i < 3 && !live.isEmpty(); i++) {
      String name = live.get(random.nextInt(live.size()));
      GenericKubernetesResource r = apiKeys().withName(name).get();
      if (r != null) {
        Map<String, String> a = r.getMetadata().getAnnotations() == null ? new HashMap<>()
            : new HashMap<>(r.getMetadata().getAnnotations());
        a.put(ROTATE, "c" + cycle + "-" + i);
        r.getMetadata().setAnnotations(a);
        try {
          apiKeys().resource(r).update();
          log("cycle %d: rotate %s", cycle, name);
        } catch (RuntimeException conflict) {
          log("cycle %d: rotate %s lost a write race (%s)", cycle, name, conflict.getClass().getSimpleName());
        }
      }
    }
    if (live.size() > KEYS / 2) {
      String name = live.get(random.nextInt(live.size()));
      apiKeys().withName(name).delete();
      model.put(name, true);
      log("cycle %d: delete %s", cycle, name);
    }
  }

  /**
   * Every live ApiKey KeyReady for its generation, with no replaced key still in its grace and exactly one key of its
   * own at the simulator; every deleted one gone. Until then a replaced key is still legitimately alive (a lost key
   * never leaves, so the wait runs out and the check below names it).
   */
  private boolean awaitSettled() throws InterruptedException {
    long deadline = System.nanoTime() + FINAL_WAIT.toNanos();
    List<String> waiting = List.of();
    while (System.nanoTime() < deadline) {
      waiting = new ArrayList<>();
      Map<String, Integer> atVendor = new HashMap<>();
      ld.sdkKeys().forEach(k -> atVendor.merge(owner(k.get(0)), 1, Integer::sum));
      ld.tokens().forEach(t -> atVendor.merge(owner(t.get(1)), 1, Integer::sum));
      for (Map.Entry<String, Boolean> e : model.entrySet()) {
        GenericKubernetesResource r = apiKeys().withName(e.getKey()).get();
        if (e.getValue()) {
          if (r != null) {
            waiting.add(e.getKey() + " (deleted, still there)");
          }
        } else if (r == null || !"KeyReady".equals(readyReason(r)) || !observedCurrent(r) || previousKeys(r) > 0
            || atVendor.getOrDefault(e.getKey(), 0) != 1) {
          waiting.add(e.getKey() + " (" + (r == null ? "vanished" : readyReason(r)) + ", "
              + atVendor.getOrDefault(e.getKey(), 0) + " keys at the vendor)");
        }
      }
      if (waiting.isEmpty()) {
        return true;
      }
      Thread.sleep(500);
    }
    log("not settled: %s", waiting);
    return false;
  }

  /** The ApiKey a key belongs to: SDK key ids and token names are {@code <namespace>-<apikey>-<6 characters>}. */
  private static String owner(String name) {
    String prefix = NS + "-";
    return name == null || !name.startsWith(prefix) || name.length() < prefix.length() + 8 ? String.valueOf(name)
        : name.substring(prefix.length(), name.length() - 7);
  }

  private static boolean observedCurrent(GenericKubernetesResource r) {
    return r.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("observedGeneration") instanceof Number observed
        && observed.longValue() == r.getMetadata().getGeneration();
  }

  private static int previousKeys(GenericKubernetesResource r) {
    return r.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("previousKeys") instanceof List<?> previous ? previous.size() : 0;
  }

  /** Every key at the vendor is the current key of exactly one live ApiKey, and every Secret's credential works. */
  private List<String> check() {
    List<String> violations = new ArrayList<>();
    Set<String> atVendor = new TreeSet<>();
    ld.sdkKeys().forEach(k -> atVendor.add("sdkKey:shop/production/" + k.get(0)));
    ld.tokens().forEach(t -> atVendor.add("token:" + t.get(0)));
    Set<String> current = new TreeSet<>();
    for (Map.Entry<String, Boolean> e : model.entrySet()) {
      if (e.getValue()) {
        continue;
      }
      GenericKubernetesResource r = apiKeys().withName(e.getKey()).get();
      String id = statusKeyId(r);
      if (id == null) {
        violations.add(e.getKey() + ": no current key in status");
        continue;
      }
      if (!current.add(id)) {
        violations.add(e.getKey() + ": shares its key " + id + " with another ApiKey");
      }
      Secret s = client.secrets().inNamespace(NS).withName(e.getKey()).get();
      String value = s == null || s.getData() == null || s.getData().get("apiKey") == null ? null
          : new String(Base64.getDecoder().decode(s.getData().get("apiKey")), StandardCharsets.UTF_8);
      boolean works = value != null && (id.startsWith("token:") ? ld.tokenWorks(value) : ld.sdkCredentialWorks(value));
      if (!works) {
        violations.add(e.getKey() + ": its Secret does not hold a working credential");
      }
    }
    for (String id : atVendor) {
      if (!current.contains(id)) {
        violations.add("lost: " + id + " lives at the vendor but no live ApiKey holds it");
      }
    }
    for (String id : current) {
      if (!atVendor.contains(id)) {
        violations.add("missing: " + id + " is an ApiKey's current key but not at the vendor");
      }
    }
    return violations;
  }

  @SuppressWarnings("unchecked")
  private static String statusKeyId(GenericKubernetesResource r) {
    Object status = r == null ? null : r.getAdditionalProperties().get("status");
    Object key = status instanceof Map<?, ?> m ? m.get("key") : null;
    Object id = key instanceof Map<?, ?> k ? k.get("id") : null;
    // An SDK key's recorded id carries the environment's client-side id after an '@'.
    return id == null ? null : id.toString().replaceFirst("@.*$", "");
  }

  @SuppressWarnings("unchecked")
  private static String readyReason(GenericKubernetesResource r) {
    Object status = r.getAdditionalProperties().get("status");
    Object conditions = status instanceof Map<?, ?> m ? m.get("conditions") : null;
    if (conditions instanceof List<?> list) {
      for (Object c : list) {
        if (c instanceof Map<?, ?> cm && "Ready".equals(cm.get("type"))) {
          return String.valueOf(cm.get("reason"));
        }
      }
    }
    return "no Ready condition";
  }

  private static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> apiKeysAll() {
    return client.genericKubernetesResources(ApiKeyKinds.API_KEYS);
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      GenericKubernetesResourceList, Resource<GenericKubernetesResource>> apiKeys() {
    return apiKeysAll().inNamespace(NS);
  }

  private void startOperator() throws IOException, InterruptedException {
    try (ServerSocket s = new ServerSocket(0)) {
      operatorPort = s.getLocalPort();
    }
    Path jar = Path.of(System.getProperty("operator.jar", "../operator/target/apikey-operator.jar"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m", "-jar",
        jar.toAbsolutePath().toString()).redirectErrorStream(true)
        .redirectOutput(workDir.resolve(String.format("operator-%02d.log", processes++)).toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    pb.environment().put("WATCH_NAMESPACES", NS);
    pb.environment().put("OPERATOR_NAMESPACE", "apikey-operator"); // the seal key's home; one process: no election
    pb.environment().put("LEADER_ELECTION", "false");
    pb.environment().put("HTTP_PORT", Integer.toString(operatorPort));
    operator = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!operator.isAlive()) {
        throw new IllegalStateException("the operator exited with " + operator.exitValue() + "; see " + workDir);
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + operatorPort + "/readyz").toURL()
            .openConnection();
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
    throw new IllegalStateException("the operator was not ready within 180 s");
  }

  private static void kill() {
    Process p = operator;
    if (p != null && p.isAlive()) {
      p.destroyForcibly(); // SIGKILL on Linux
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    operator = null;
  }

  private void log(String format, Object... args) {
    String line = String.format(format, args);
    timeline.add(line);
    System.out.println("[ld-kill9] " + line);
  }
}
