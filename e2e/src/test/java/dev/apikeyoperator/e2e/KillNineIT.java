package dev.apikeyoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyoperator.simulator.FmeSimulator;
import dev.apikeyoperator.simulator.SimKey;
import dev.apikeyoperator.testkit.MockKubernetes;
import dev.apikeyoperator.testkit.Simulators;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "kill -9 proof": the operator jar runs as a child process against fabric8's mock API server (CRUD mode) and
 * the FME simulator, both in this JVM. While a burst of ApiKeys is created, rotated, re-scoped (identity change)
 * and deleted, and managed Secrets are deleted by hand, the process is killed with SIGKILL at random moments and
 * restarted, over and over. A last process then runs to quiescence and the vendor's view is compared with what
 * Kubernetes holds (docs/concepts/guarantees.md 1, 2, 4 and 5; 3 is checked on the processes' output as a bonus).
 *
 * <p>Each cycle: changes while no operator runs (and, from the second cycle on, a "human" revokes at the vendor and
 * acknowledges every indeterminate key reported so far), start a process, wait for {@code /readyz}, apply the
 * burst (first cycle) and another batch of changes at a random point, SIGKILL 0.2-2 s after readiness (the JVM's own
 * start-up takes 3-10 s on two cores; a delay from spawn would mostly kill a process that has done nothing yet).
 * The simulator answers with 150-300 ms latency so that kills land mid-call.
 *
 * <p>The key ledger ({@code <apikey>-apikey-ledger}, docs/design/ledger.md) is read, never written: to know whether a
 * rotate request was acted on, and which keys an indeterminate ApiKey still holds. A key counts as revocable when a
 * managed Secret or a ledger of a live ApiKey holds its value.
 *
 * <p>System properties: {@code killCycles} (default 5), {@code killKeys} (default 50), {@code killSeed} (default:
 * random, printed in the report; it replays the choices, not the timing), {@code operator.jar}, {@code crds.dir},
 * {@code report.file}, {@code work.dir} (kubeconfig and one log per operator process).
 */
class KillNineIT {
  private static final String NS = "kill9";
  /** Namespace of the deterministic reproductions, so they never mix with the kill run's keys. */
  private static final String REPRO_NS = "repro";
  private static final String GROUP = "apikeyoperator.dev";
  private static final String API_VERSION = GROUP + "/v1alpha1";
  private static final String ROTATE = "apikeyoperator.dev/rotate-requested-at";
  private static final String ACK = "apikeyoperator.dev/acknowledge-indeterminate";
  private static final Pattern INDETERMINATE_KEY = Pattern.compile("^Key (\\S+) may have been created");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceDefinitionContext API_KEYS = new ResourceDefinitionContext.Builder()
      .withGroup(GROUP).withVersion("v1alpha1").withKind("ApiKey").withPlural("apikeys").withNamespaced(true).build();

  private static final int CYCLES = Integer.getInteger("killCycles", 5);
  private static final int KEYS = Integer.getInteger("killKeys", 50);
  private static final long SEED = seed();
  // The waits bound how long the proof waits for the operator, not what it proves: none is a guarantee, so each is
  // generous enough for a 2-core machine that is busy with other builds (a slow start is not a lost key).
  private static final Duration FINAL_WAIT = Duration.ofSeconds(300);
  private static final Duration READY_WAIT = Duration.ofSeconds(180);
  private static final Duration REASON_WAIT = Duration.ofSeconds(90);
  private static final Duration RESTORE_WAIT = Duration.ofSeconds(60);

  static MockKubernetes mock;
  static KubernetesMockServer server;
  static KubernetesClient client;
  static Simulators simulators;
  static FmeSimulator simulator;
  static Path workDir;
  static Path kubeconfig;
  static Process operator;
  static int processes;

  final Random random = new Random(SEED);
  /** Every ApiKey ever created, in order; the model of what the test did to each. */
  final Map<String, Model> model = new LinkedHashMap<>();
  final List<String> timeline = new ArrayList<>();
  int kills;
  int sigkillExits;
  int secretsDeletedByHand;
  int started;
  int handledByHuman;
  Instant lastKill;

  /** What the test did to one ApiKey. */
  static final class Model {
    final String name;
    int rotationRequests;
    int identityChanges;
    String environment = "Production";
    String lastRotateValue;
    boolean deleted;
    String acknowledged;
    boolean secretDeletedByHand;
    /** Indeterminate keys a "human" dealt with between cycles (revoked at the vendor, then acknowledged). */
    final List<String> handled = new ArrayList<>();

    Model(String name) {
      this.name = name;
    }

    /** Creates this ApiKey may cause: its first key, one per distinct rotate value, one per identity change. */
    int createsAllowed() {
      return 1 + rotationRequests + identityChanges + handled.size(); // an acknowledged attempt is made again
    }
  }

  private static long seed() {
    String s = System.getProperty("killSeed", "");
    return s.isBlank() ? new Random().nextLong() : Long.parseLong(s.trim());
  }

  @BeforeAll
  static void startWorld() throws IOException {
    workDir = Path.of(System.getProperty("work.dir", "target/kill9"));
    Files.createDirectories(workDir);
    try (Stream<Path> old = Files.list(workDir)) {
      for (Path p : old.toList()) {
        Files.deleteIfExists(p);
      }
    }
    mock = MockKubernetes.start(Path.of(System.getProperty("crds.dir", "../crds")));
    server = mock.server();
    client = mock.client();
    simulators = Simulators.fmeOnly();
    simulator = simulators.fme();
    kubeconfig = mock.writeKubeconfig(workDir.resolve("kubeconfig"), "kill9-test-token", NS);
    setUpNamespace(NS);
    setUpNamespace(REPRO_NS);
  }

  @AfterAll
  static void stopWorld() {
    try {
      killOperator();
    } finally {
      try {
        if (simulators != null) {
          simulators.close();
        }
      } finally {
        if (mock != null) {
          mock.close();
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------------- the run

  @Test
  void killNineAtRandomMomentsLosesAndDuplicatesNoKey() throws Exception {
    try {
      run();
    } catch (Exception | Error e) {
      if (!reportWritten) { // the run broke before its checks: keep what happened for whoever reads the report
        writeReport("kill -9 proof (KillNineIT) ABORTED: " + e + "\nseed " + SEED + "\ntimeline:\n"
            + String.join("\n", timeline) + "\n");
      }
      throw e;
    }
  }

  private boolean reportWritten;

  private Path writeReport(String text) throws IOException {
    Path reportFile = Path.of(System.getProperty("report.file", "target/kill9-report.txt"));
    Files.createDirectories(reportFile.toAbsolutePath().getParent());
    Files.writeString(reportFile, text);
    return reportFile;
  }

  private void run() throws Exception {
    Instant started = Instant.now();
    log("seed=%d keys=%d cycles=%d", SEED, KEYS, CYCLES);

    for (int cycle = 0; cycle < CYCLES; cycle++) {
      if (cycle > 0) {
        mutate(cycle, "down"); // while no operator runs
      }
      simulator.faults().setLatencyMs(150 + random.nextInt(151)); // so that kills land mid-call
      startOperator();
      awaitOperatorReady(READY_WAIT);
      if (cycle == 0) {
        for (int i = 0; i < KEYS; i++) {
          createApiKey(String.format("k%03d", i));
        }
        log("cycle 0: applied %d ApiKeys", KEYS);
      }
      long delay = 200 + random.nextInt(1801);
      long firstHalf = random.nextInt((int) delay + 1);
      Thread.sleep(firstHalf);
      mutate(cycle, "live");
      Thread.sleep(delay - firstHalf);
      killNine(cycle, delay);
    }

    // Final phase: one last process, run to quiescence.
    simulator.faults().setLatencyMs(20);
    startOperator();
    awaitOperatorReady(READY_WAIT);
    boolean settled = awaitSettled(FINAL_WAIT);
    int createsAtSettle = simulator.createCount();
    Thread.sleep(3000); // quiescence: a settled operator makes no further key
    int createsAfterQuiet = simulator.createCount();
    killOperator();

    Report report = check(settled, createsAtSettle, createsAfterQuiet, Duration.between(started, Instant.now()));
    String text = report.render();
    System.out.println(text);
    Path reportFile = writeReport(text);
    reportWritten = true;
    assertTrue(settled, "the last operator process did not settle within " + FINAL_WAIT + "; see " + reportFile);
    assertEquals(List.of(), report.violations, "guarantee violations; see " + reportFile);
  }

  private static void setUpNamespace(String ns) {
    mock.namespaceWithFmeProvider(ns, simulator, 0);
  }

  private void createApiKey(String name) {
    apiKeys().resource(apiKey(NS, name)).create();
    model.put(name, new Model(name));
  }

  /** A server_side key for Shop/Production with a 2s grace period and deletionPolicy Delete. */
  private static GenericKubernetesResource apiKey(String ns, String name) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("providerRef", Map.of("name", "fme"));
    spec.put("fme", new LinkedHashMap<>(Map.of("type", "server_side", "project", Map.of("name", "Shop"),
        "environments", List.of(Map.of("name", "Production")))));
    spec.put("rotation", Map.of("gracePeriod", "2s"));
    spec.put("deletionPolicy", "Delete");
    return resource(ns, "ApiKey", name, spec);
  }

  /** One batch of changes: rotations, deletions, identity changes, and a managed Secret deleted by hand. */
  private void mutate(int cycle, String phase) throws IOException, InterruptedException {
    List<Model> live = model.values().stream().filter(m -> !m.deleted).collect(Collectors.toList());
    if (phase.equals("down")) {
      actAsHuman(cycle, live);
    }
    int rotations = Math.max(1, KEYS / 10);
    int identityChanges = Math.max(1, KEYS / 25);
    int deletions = live.size() > KEYS / 2 ? Math.max(1, KEYS / 50) : 0;
    List<String> did = new ArrayList<>();
    for (Model m : pick(live, rotations)) {
      String value = "c" + cycle + "-" + phase + "-" + random.nextInt(1_000_000);
      if (edit(m.name, r -> {
        annotations(r).put(ROTATE, value);
        return r;
      })) {
        m.rotationRequests++;
        m.lastRotateValue = value;
        did.add("rotate " + m.name);
      }
    }
    for (Model m : pick(live, identityChanges)) {
      String env = m.environment.equals("Production") ? "Staging" : "Production";
      if (edit(m.name, r -> {
        fme(r).put("environments", List.of(Map.of("name", env)));
        return r;
      })) {
        m.identityChanges++;
        m.environment = env;
        did.add("env " + m.name + "->" + env);
      }
    }
    // While the operator runs, delete ApiKeys that were just asked to rotate, so that a deletion meets a create in
    // flight (and, when the kill lands there, an indeterminate creation on a deleted ApiKey).
    List<Model> deletable = phase.equals("live") ? live.stream().filter(m -> did.contains("rotate " + m.name))
        .collect(Collectors.toList()) : live;
    for (Model m : pick(deletable.isEmpty() ? live : deletable, deletions)) {
      apiKeys().withName(m.name).delete();
      m.deleted = true;
      did.add("delete " + m.name);
    }
    List<Model> stillLive = live.stream().filter(m -> !m.deleted).toList();
    for (Model m : pick(stillLive, 1)) {
      if (!client.secrets().inNamespace(NS).withName(m.name).delete().isEmpty()) {
        secretsDeletedByHand++;
        m.secretDeletedByHand = true;
        did.add("delete Secret " + m.name);
      }
    }
    log("cycle %d (%s): %s", cycle, phase, String.join(", ", did));
  }

  /**
   * What the CreationIndeterminate message asks of a human: find the named key at the vendor, revoke it, then
   * acknowledge it. Done for the live ApiKeys between cycles, so that they take part in later cycles again (and the
   * acknowledgement path runs under kills too); deleted ones are acknowledged in the final phase only.
   */
  private void actAsHuman(int cycle, List<Model> live) throws IOException, InterruptedException {
    List<String> did = new ArrayList<>();
    for (Model m : live) {
      GenericKubernetesResource r = apiKeys().withName(m.name).get();
      String named = r == null ? null : indeterminateKey(r);
      if (named == null || m.handled.contains(named)) {
        continue;
      }
      SimKey k = simulator.keys().stream().filter(x -> x.name().equals(named)).findFirst().orElse(null);
      if (k != null && k.active()) {
        int code = revokeAtVendor(k.id());
        if (code != 200) {
          throw new IllegalStateException("revoking " + named + " at the simulator answered " + code);
        }
      }
      if (edit(m.name, x -> {
        annotations(x).put(ACK, named);
        return x;
      })) {
        m.handled.add(named);
        did.add(named + (k == null ? " (never reached the vendor)" : " (revoked)"));
      }
    }
    if (!did.isEmpty()) {
      handledByHuman += did.size();
      log("cycle %d (down): a human dealt with indeterminate key(s) %s", cycle, String.join(", ", did));
    }
  }

  private static int revokeAtVendor(String id) throws IOException, InterruptedException {
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
            URI.create(simulator.baseUrl() + "/apiKeys/" + id))
        .header("Authorization", "Bearer " + simulator.adminToken()).timeout(Duration.ofSeconds(10)).DELETE().build();
    return java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private <T> List<T> pick(List<T> from, int n) {
    List<T> copy = new ArrayList<>(from);
    java.util.Collections.shuffle(copy, random);
    return copy.subList(0, Math.min(n, copy.size()));
  }

  /** Read-modify-write with optimistic locking, retried on conflicts; false when the ApiKey is gone. */
  private boolean edit(String name, UnaryOperator<GenericKubernetesResource> change) {
    for (int attempt = 0; attempt < 10; attempt++) {
      GenericKubernetesResource r = apiKeys().withName(name).get();
      if (r == null) {
        return false;
      }
      try {
        apiKeys().resource(change.apply(r)).update();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("could not update ApiKey " + name + " after 10 conflicts");
  }

  /**
   * Deterministic form of a defect the kill run finds at random (guarantee 5): while an ApiKey is
   * CreationIndeterminate (here: the vendor's answer to a rotation's create is lost, which is what a kill between
   * the create and the outcome write leaves behind too), a managed Secret deleted by hand is not restored, although
   * the ledger still holds the current key. Pods lose their key until a human acknowledges the indeterminate one.
   */
  @Test
  void secretDeletedByHandIsRestoredWhileCreationIsIndeterminate() throws Exception {
    String name = "solo";
    var keys = apiKeysIn().inNamespace(REPRO_NS);
    try {
      simulator.faults().clear();
      startOperator();
      awaitOperatorReady(READY_WAIT);
      keys.resource(apiKey(REPRO_NS, name)).create();
      awaitReason(REPRO_NS, name, "KeyReady", REASON_WAIT);
      String value = secretValue(client.secrets().inNamespace(REPRO_NS).withName(name).get());

      simulator.faults().setDropCreateResponses(1); // the rotation's key is made, its answer lost
      keys.withName(name).edit(r -> {
        annotations(r).put(ROTATE, "repro-1");
        return r;
      });
      awaitReason(REPRO_NS, name, "CreationIndeterminate", REASON_WAIT);

      client.secrets().inNamespace(REPRO_NS).withName(name).delete();
      long deadline = System.nanoTime() + RESTORE_WAIT.toNanos();
      String restored = null;
      while (restored == null && System.nanoTime() < deadline) {
        Thread.sleep(250);
        restored = secretValue(client.secrets().inNamespace(REPRO_NS).withName(name).get());
      }
      assertEquals(value, restored, "guarantee 5: Secret " + REPRO_NS + "/" + name + " deleted by hand while the "
          + "ApiKey is CreationIndeterminate must be restored from the ledger with the current key within " + RESTORE_WAIT);
    } finally {
      simulator.faults().clear();
      killOperator();
    }
  }

  private static void awaitReason(String ns, String name, String reason, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      GenericKubernetesResource r = apiKeysIn().inNamespace(ns).withName(name).get();
      last = r == null ? "absent" : reason(r);
      if (reason.equals(last)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(ns + "/" + name + " did not reach " + reason + " within " + max + " (last: " + last + ")");
  }

  // ----------------------------------------------------------------------------------------- the process

  private void startOperator() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path jar = Path.of(System.getProperty("operator.jar", "../operator/target/apikey-operator.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("operator jar not found at " + jar.toAbsolutePath()
          + ": build it first (mvn -q -B install -DskipTests)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path logFile = workDir.resolve(String.format("operator-%02d.log", processes));
    ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m",
        "-jar", jar.toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    pb.environment().put("WATCH_NAMESPACES", NS + "," + REPRO_NS);
    pb.environment().put("HTTP_PORT", Integer.toString(port));
    pb.environment().put("OPERATOR_NAMESPACE", "apikey-operator"); // the seal key's home; one process: no election
    pb.environment().put("LEADER_ELECTION", "false");
    pb.environment().put("VENDOR_READ_TIMEOUT", "10s");
    operator = pb.start();
    started++;
    operatorPort = port;
    log("process %d started (pid %d, health port %d, log %s)", processes, operator.pid(), port,
        logFile.getFileName());
    processes++;
  }

  static int operatorPort;

  private void awaitOperatorReady(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!operator.isAlive()) {
        throw new IllegalStateException("the operator process exited with " + operator.exitValue()
            + " before it was ready; see " + workDir);
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
    throw new IllegalStateException("the operator process was not ready within " + max);
  }

  private void killNine(int cycle, long delayMs) throws InterruptedException {
    long pid = operator.pid();
    operator.destroyForcibly(); // SIGKILL on Linux
    if (!operator.waitFor(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("process " + pid + " survived SIGKILL for 20s");
    }
    kills++;
    lastKill = Instant.now();
    int exit = operator.exitValue();
    if (exit == 137) {
      sigkillExits++;
    }
    log("cycle %d: SIGKILL %d ms after ready (pid %d, exit %d); simulator creates so far %d", cycle, delayMs, pid,
        exit, simulator.createCount());
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

  // --------------------------------------------------------------------------------------- final phase

  /**
   * Waits until every live ApiKey is KeyReady for its current spec and rotate request, or CreationIndeterminate,
   * and every deleted ApiKey is gone; a deleted ApiKey held by an indeterminate creation is acknowledged, as a
   * human would after checking the vendor's UI.
   */
  private boolean awaitSettled(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    List<String> waitingFor = List.of();
    while (System.nanoTime() < deadline) {
      waitingFor = new ArrayList<>();
      for (Model m : model.values()) {
        GenericKubernetesResource r = apiKeys().withName(m.name).get();
        if (m.deleted) {
          if (r == null) {
            continue;
          }
          String pending = indeterminateKey(r);
          if (pending != null && !pending.equals(m.acknowledged)) {
            edit(m.name, x -> {
              annotations(x).put(ACK, pending);
              return x;
            });
            m.acknowledged = pending;
            log("acknowledged indeterminate key %s of deleted ApiKey %s", pending, m.name);
          }
          waitingFor.add(m.name + " (deleted, " + reason(r) + ")");
        } else if (r == null) {
          waitingFor.add(m.name + " (vanished!)");
        } else if (!settled(m, r)) {
          waitingFor.add(m.name + " (" + reason(r) + ")");
        }
      }
      if (waitingFor.isEmpty()) {
        return true;
      }
      if (!operator.isAlive()) {
        log("the final operator process died with exit %d", operator.exitValue());
        return false;
      }
      Thread.sleep(500);
    }
    log("not settled after %s: %s", max, waitingFor);
    return false;
  }

  private boolean settled(Model m, GenericKubernetesResource r) {
    String reason = reason(r);
    if ("CreationIndeterminate".equals(reason)) {
      return true;
    }
    if (!"KeyReady".equals(reason)) {
      return false;
    }
    Object observed = status(r).get("observedGeneration");
    if (observed == null || ((Number) observed).longValue() != r.getMetadata().getGeneration()) {
      return false;
    }
    if (m.lastRotateValue != null) {
      JsonNode ledger = ledger(m.name);
      return ledger != null && m.lastRotateValue.equals(ledger.path("rotateRequest").asText(null));
    }
    return true;
  }

  // --------------------------------------------------------------------------------------------- checks

  private Report check(boolean settled, int createsAtSettle, int createsAfterQuiet, Duration took) {
    Report rep = new Report();
    rep.settled = settled;
    rep.took = took;
    List<SimKey> all = simulator.keys().stream().filter(k -> k.name().startsWith(NS + "-")).toList();
    rep.creates = all.size();
    rep.keysAtSimulator = all.size();
    if (createsAfterQuiet != createsAtSettle) {
      rep.violations.add("Guarantee 2: " + (createsAfterQuiet - createsAtSettle)
          + " key(s) created after every ApiKey had settled");
    }

    Map<String, List<SimKey>> byApiKey = new TreeMap<>();
    for (SimKey k : all) {
      byApiKey.computeIfAbsent(owner(k.name()), x -> new ArrayList<>()).add(k);
    }
    // Values held by the managed Secrets of live ApiKeys, and the key names named by CreationIndeterminate.
    Map<String, String> secretValueToApiKey = new HashMap<>();
    Set<String> indeterminateNames = new LinkedHashSet<>();
    Set<String> ledgerValues = new LinkedHashSet<>(); // the key ledgers (docs/design/ledger.md) are Secrets too
    Map<String, GenericKubernetesResource> live = new LinkedHashMap<>();
    for (Model m : model.values()) {
      if (m.acknowledged != null) {
        indeterminateNames.add(m.acknowledged);
        rep.indeterminateDeleted++;
      }
      if (m.deleted) {
        continue;
      }
      GenericKubernetesResource r = apiKeys().withName(m.name).get();
      if (r == null) {
        rep.violations.add(m.name + ": ApiKey vanished although the test never deleted it");
        continue;
      }
      live.put(m.name, r);
      Secret s = client.secrets().inNamespace(NS).withName(m.name).get();
      String value = secretValue(s);
      if (value != null) {
        secretValueToApiKey.put(value, m.name);
      }
      String pending = indeterminateKey(r);
      if (pending != null) {
        indeterminateNames.add(pending);
      }
      JsonNode ledger = ledger(m.name);
      if (ledger != null) {
        String current = ledger.path("current").path("value").asText(null);
        if (current != null) {
          ledgerValues.add(current);
        }
        ledger.path("previous").forEach(p -> ledgerValues.add(p.path("value").asText()));
      }
    }

    for (Model m : model.values()) {
      List<SimKey> keys = byApiKey.getOrDefault(m.name, List.of());
      if (keys.size() > m.createsAllowed()) {
        rep.excessCreates += keys.size() - m.createsAllowed();
        rep.violations.add("Guarantee 2: " + m.name + " caused " + keys.size() + " creates at the vendor, at most "
            + m.createsAllowed() + " needed (1 + " + m.rotationRequests + " rotation request(s) + "
            + m.identityChanges + " identity change(s)): " + names(keys));
      }
      if (m.deleted) {
        checkDeleted(rep, m, keys);
      } else if (live.containsKey(m.name)) {
        checkLive(rep, m, live.get(m.name), keys);
      }
    }

    // Guarantee 3, for free: no key value the simulator handed out appears in any operator process's output.
    try (Stream<Path> logs = Files.list(workDir)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("operator-")).sorted().toList()) {
        String text = Files.readString(log);
        for (SimKey k : all) {
          if (text.contains(k.key())) {
            rep.violations.add("Guarantee 3: the value of key " + k.name() + " appears in " + log.getFileName());
          }
        }
      }
    } catch (IOException e) {
      rep.violations.add("could not read the operator logs: " + e);
    }

    // No leaked key: every active key is in a Secret or named by a CreationIndeterminate condition.
    for (SimKey k : all) {
      if (k.active() && !secretValueToApiKey.containsKey(k.key()) && !ledgerValues.contains(k.key())
          && !indeterminateNames.contains(k.name())) {
        rep.leaked++;
        rep.violations.add("Guarantee 1: key " + k.name() + " (id " + k.id() + ", created " + k.createdAt()
            + ") is active at the vendor, in no Secret (managed or ledger) and named by no CreationIndeterminate "
            + "condition");
      }
    }
    return rep;
  }

  private void checkLive(Report rep, Model m, GenericKubernetesResource r, List<SimKey> keys) {
    List<SimKey> active = keys.stream().filter(SimKey::active).toList();
    String reason = reason(r);
    Secret secret = client.secrets().inNamespace(NS).withName(m.name).get();
    String value = secretValue(secret);
    if ("CreationIndeterminate".equals(reason)) {
      rep.indeterminateLive++;
      String named = indeterminateKey(r);
      if (named == null) {
        rep.violations.add(m.name + ": CreationIndeterminate without a key name in its message");
        return;
      }
      checkWarningEvent(rep, m.name, named);
      checkIndeterminateIsACrash(rep, m.name, named, keys);
      SimKey namedKey = keys.stream().filter(k -> k.name().equals(named)).findFirst().orElse(null);
      if (namedKey == null) {
        rep.indeterminateNeverSent++; // the process died after recording the intent, before the POST arrived
      } else if (!namedKey.active()) {
        rep.violations.add(m.name + ": indeterminate key " + named + " is revoked at the vendor, yet still reported");
      } else if (value != null && value.equals(namedKey.key())) {
        rep.violations.add(m.name + ": indeterminate key " + named + " is in the Secret, so it was not lost");
      }
      // Everything else this ApiKey holds must be revocable from the ledger (guarantee 1), and its Secret must
      // still carry the recorded current key (guarantee 5: restored after a deletion by hand).
      JsonNode ledger = ledger(m.name);
      String pendingName = ledger == null ? null : ledger.path("pending").path("name").asText(null);
      if (!named.equals(pendingName)) {
        rep.violations.add(m.name + ": the condition names " + named + " but the ledger's pending intent is "
            + pendingName);
      }
      String currentValue = ledger == null ? null : ledger.path("current").path("value").asText(null);
      String currentName = ledger == null ? null : ledger.path("current").path("name").asText(null);
      Set<String> previousValues = new LinkedHashSet<>();
      if (ledger != null) {
        ledger.path("previous").forEach(p -> previousValues.add(p.path("value").asText()));
      }
      for (SimKey k : active) {
        if (k.name().equals(named)) {
          continue;
        }
        if (k.key().equals(currentValue)) {
          continue;
        }
        if (previousValues.contains(k.key())) {
          rep.previousHeldByIndeterminate++;
          rep.findings.add("gracePeriod: " + m.name + " (CreationIndeterminate on " + named + ") still holds "
              + "replaced key " + k.name() + " (revocable from its ledger) past its 2s grace period");
        } else {
          rep.duplicates++;
          rep.violations.add("Guarantee 2: " + m.name + " (CreationIndeterminate) has active key " + k.name()
              + " that is neither its current, a replaced nor the indeterminate key");
        }
      }
      if (currentValue != null && !currentValue.equals(value)) {
        rep.secretNotRestored++;
        rep.violations.add("Guarantee 5: " + m.name + " (CreationIndeterminate on " + named + "): Secret "
            + m.name + (secret == null ? " is missing" : " does not hold the current key") + "; the current key "
            + currentName + " is recorded in the ledger but the Secret is not restored while the ApiKey is "
            + "CreationIndeterminate" + (m.secretDeletedByHand ? " (the test deleted this Secret by hand)" : ""));
      }
      return;
    }
    rep.ready++;
    if (active.size() != 1) {
      rep.duplicates += Math.max(0, active.size() - 1);
      rep.violations.add((active.isEmpty() ? "" : "Guarantee 2: ") + m.name + " (Ready) has " + active.size()
          + " active keys at the vendor, expected exactly 1: " + names(active));
    }
    if (value == null) {
      rep.violations.add("Guarantee 5: " + m.name + " is Ready but its Secret is missing or has no apiKey");
      return;
    }
    SimKey inSecret = active.stream().filter(k -> k.key().equals(value)).findFirst().orElse(null);
    if (inSecret == null) {
      rep.violations.add("Guarantee 5: " + m.name + ": the Secret's value is no active key of this ApiKey");
      return;
    }
    Object statusKey = status(r).get("key");
    String statusName = statusKey instanceof Map<?, ?> sk ? (String) sk.get("name") : null;
    if (!inSecret.name().equals(statusName)) {
      rep.violations.add(m.name + ": status.key.name is " + statusName + " but the Secret holds " + inSecret.name());
    }
  }

  private void checkDeleted(Report rep, Model m, List<SimKey> keys) {
    rep.deleted++;
    if (apiKeys().withName(m.name).get() != null) {
      rep.violations.add("Guarantee 4: deleted ApiKey " + m.name + " still exists");
    }
    for (SimKey k : keys) {
      if (k.active() && !k.name().equals(m.acknowledged)) {
        rep.violations.add("Guarantee 4: key " + k.name() + " of deleted ApiKey " + m.name
            + " is still active at the vendor");
      }
      if (k.name().equals(m.acknowledged) && k.active()) {
        rep.acknowledgedStillActive++;
      }
    }
  }

  /**
   * An indeterminate creation must come from a kill between the intent and the outcome write: no process logged
   * the key as created (that line follows the outcome write), and the key reached the vendor, if at all, before the
   * last kill (the final process runs with no kill and a generous read timeout, so it loses no answer).
   */
  private void checkIndeterminateIsACrash(Report rep, String apiKey, String named, List<SimKey> keys) {
    try (Stream<Path> logs = Files.list(workDir)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("operator-")).toList()) {
        if (Files.readString(log).contains("Created key " + named + " ")) {
          rep.violations.add("Guarantee 1: " + apiKey + " reports " + named + " as indeterminate, but "
              + log.getFileName() + " logged it as created (its outcome was recorded)");
        }
      }
    } catch (IOException e) {
      rep.violations.add("could not read the operator logs: " + e);
    }
    keys.stream().filter(k -> k.name().equals(named)).findFirst().ifPresent(k -> {
      if (lastKill != null && k.createdAt().isAfter(lastKill.plusSeconds(2))) {
        rep.findings.add(apiKey + ": indeterminate key " + named + " was created at " + k.createdAt()
            + ", after the last kill (" + lastKill + "): an answer lost without a crash");
      }
    });
  }

  private void checkWarningEvent(Report rep, String apiKey, String keyName) {
    boolean found = client.v1().events().inNamespace(NS).list().getItems().stream().anyMatch(e ->
        apiKey.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())
            && "CreationIndeterminate".equals(e.getReason()) && e.getMessage() != null
            && e.getMessage().contains(keyName));
    if (!found) {
      rep.violations.add("Guarantee 1: " + apiKey + " is CreationIndeterminate for " + keyName
          + " but no Warning event names it");
    }
  }

  /** Report of one run. */
  final class Report {
    boolean settled;
    Duration took;
    int creates;
    int keysAtSimulator;
    int ready;
    int deleted;
    int indeterminateLive;
    int indeterminateNeverSent;
    int indeterminateDeleted;
    int acknowledgedStillActive;
    int leaked;
    int duplicates;
    int excessCreates;
    int previousHeldByIndeterminate;
    int secretNotRestored;
    final List<String> violations = new ArrayList<>();
    final List<String> findings = new ArrayList<>();

    String render() {
      int rotations = model.values().stream().mapToInt(m -> m.rotationRequests).sum();
      int identity = model.values().stream().mapToInt(m -> m.identityChanges).sum();
      StringBuilder b = new StringBuilder();
      b.append("kill -9 proof (KillNineIT)\n");
      b.append(String.format("  seed                         %d (replay: -DkillSeed=%d)%n", SEED, SEED));
      b.append(String.format("  ApiKeys (N)                  %d%n", KEYS));
      b.append(String.format("  kill cycles                  %d%n", CYCLES));
      b.append(String.format("  SIGKILLs (exit 137)          %d (%d)%n", kills, sigkillExits));
      b.append(String.format("  operator processes           %d%n", started));
      b.append(String.format("  rotation requests            %d%n", rotations));
      b.append(String.format("  identity changes             %d%n", identity));
      b.append(String.format("  ApiKeys deleted              %d%n", deleted));
      b.append(String.format("  Secrets deleted by hand      %d%n", secretsDeletedByHand));
      b.append(String.format("  creates at the simulator     %d%n", creates));
      b.append(String.format("  creates allowed (upper bound) %d%n",
          model.values().stream().mapToInt(Model::createsAllowed).sum()));
      b.append(String.format("  settled                      %s%n", settled));
      b.append(String.format("  Ready (KeyReady) at the end  %d%n", ready));
      b.append(String.format("  indeterminate (live ApiKeys) %d (of which never reached the vendor: %d)%n",
          indeterminateLive, indeterminateNeverSent));
      b.append(String.format("  indeterminate, handled between cycles (revoked+acknowledged) %d%n", handledByHuman));
      b.append(String.format("  indeterminate (deleted, acknowledged) %d (key active at vendor: %d)%n",
          indeterminateDeleted, acknowledgedStillActive));
      b.append(String.format("  leaked keys                  %d%n", leaked));
      b.append(String.format("  duplicate active keys        %d%n", duplicates));
      b.append(String.format("  excess creates               %d%n", excessCreates));
      b.append(String.format("  wall time                    %ds%n", took.toSeconds()));
      b.append(String.format("  replaced keys held past grace by indeterminate ApiKeys %d%n",
          previousHeldByIndeterminate));
      b.append(String.format("  Secrets not restored (indeterminate ApiKeys) %d%n", secretNotRestored));
      b.append(String.format("  violations                   %d%n", violations.size()));
      violations.forEach(v -> b.append("    - ").append(v).append('\n'));
      b.append(String.format("  findings (no guarantee broken) %d%n", findings.size()));
      findings.forEach(v -> b.append("    - ").append(v).append('\n'));
      b.append("timeline:\n");
      timeline.forEach(t -> b.append("  ").append(t).append('\n'));
      return b.toString();
    }
  }

  // -------------------------------------------------------------------------------------------- helpers

  private void log(String format, Object... args) {
    String line = String.format("%s %s", Instant.now(), String.format(format, args));
    timeline.add(line);
    System.out.println("[kill9] " + line);
  }

  private static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> apiKeysIn() {
    return client.genericKubernetesResources(API_KEYS);
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      GenericKubernetesResourceList, Resource<GenericKubernetesResource>> apiKeys() {
    return apiKeysIn().inNamespace(NS);
  }

  private static GenericKubernetesResource resource(String ns, String kind, String name, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(API_VERSION);
    r.setKind(kind);
    r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns).build());
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
  private static Map<String, Object> fme(GenericKubernetesResource r) {
    return (Map<String, Object>) ((Map<String, Object>) r.getAdditionalProperties().get("spec")).get("fme");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource r) {
    Object s = r.getAdditionalProperties().get("status");
    return s instanceof Map<?, ?> ? (Map<String, Object>) s : Map.of();
  }

  /**
   * The condition whose reason kubectl's REASON column shows: Synced while it is False (a problem, even while the
   * old key keeps serving and Ready stays True), else Ready.
   */
  private static Map<String, Object> readyCondition(GenericKubernetesResource r) {
    Map<String, Object> synced = condition(r, "Synced");
    return synced != null && !"True".equals(synced.get("status")) ? synced : condition(r, "Ready");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(GenericKubernetesResource r, String type) {
    Object cs = status(r).get("conditions");
    if (cs instanceof List<?> list) {
      for (Object c : list) {
        if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
          return (Map<String, Object>) m;
        }
      }
    }
    return null;
  }

  private static String reason(GenericKubernetesResource r) {
    Map<String, Object> c = readyCondition(r);
    return c == null ? "no Ready condition" : String.valueOf(c.get("reason"));
  }

  /** The key named by a CreationIndeterminate Ready condition, or null. */
  private static String indeterminateKey(GenericKubernetesResource r) {
    Map<String, Object> c = readyCondition(r);
    if (c == null || !"CreationIndeterminate".equals(c.get("reason")) || c.get("message") == null) {
      return null;
    }
    Matcher m = INDETERMINATE_KEY.matcher(String.valueOf(c.get("message")));
    return m.find() ? m.group(1) : null;
  }

  /** The key ledger (docs/design/ledger.md): read only to see whether a rotate request has been acted on. */
  private static JsonNode ledger(String apiKey) {
    Secret s = client.secrets().inNamespace(NS).withName(apiKey + "-apikey-ledger").get();
    if (s == null || s.getData() == null || s.getData().get("ledger.json") == null) {
      return null;
    }
    try {
      return JSON.readTree(Base64.getDecoder().decode(s.getData().get("ledger.json")));
    } catch (IOException e) {
      return null;
    }
  }

  private static String secretValue(Secret s) {
    if (s == null || s.getData() == null || s.getData().get("apiKey") == null) {
      return null;
    }
    return new String(Base64.getDecoder().decode(s.getData().get("apiKey")), StandardCharsets.UTF_8);
  }

  /** The ApiKey a vendor-side key belongs to: names are {@code <namespace>-<apikey>-<6 characters>}. */
  private static String owner(String keyName) {
    String prefix = NS + "-";
    if (!keyName.startsWith(prefix) || keyName.length() < prefix.length() + 8) {
      return "(foreign) " + keyName;
    }
    return keyName.substring(prefix.length(), keyName.length() - 7);
  }

  private static String names(List<SimKey> keys) {
    return keys.stream().map(k -> k.name() + (k.active() ? "" : " (revoked)")).collect(Collectors.joining(", "));
  }
}
