package dev.apikeyoperator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.OperatorFactory;
import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.FmeCredentials;
import dev.apikeyoperator.api.v1alpha1.FmeKeySpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeProviderSpec;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.simulator.FmeSimulator;
import dev.apikeyoperator.simulator.SimKey;
import dev.apikeyoperator.status.Conditions;
import dev.apikeyoperator.testkit.MockKubernetes;
import dev.apikeyoperator.testkit.Simulators;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.secret.ManagedSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real JOSDK Operator against fabric8's mock API server in CRUD mode (CRDs registered first) and the vendor
 * simulators on loopback: what the operator ITs run on. A JUnit extension: {@code @RegisterExtension static final
 * OperatorHarness h = new OperatorHarness();} starts it before the class and, after it, checks that no key value
 * leaked (guarantee 3) and stops everything.
 */
public final class OperatorHarness implements BeforeAllCallback, AfterAllCallback {
  public static final String PROVIDER = "fme";
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  public KubernetesMockServer server;
  public KubernetesClient client;
  public FmeSimulator simulator;
  public dev.apikeyoperator.simulator.StatsigSimulator statsig;
  private MockKubernetes mock;
  private Simulators simulators;
  private boolean checkLeaks = true;
  private Operator operator;
  private final OperatorSettings settings;
  private dev.apikeyoperator.ops.Tracing tracing = dev.apikeyoperator.ops.Tracing.off();
  public final dev.apikeyoperator.ops.OperatorMetrics metrics = new dev.apikeyoperator.ops.OperatorMetrics();

  public OperatorHarness() {
    this(OperatorSettings.defaults().withVendorReadTimeout(Duration.ofSeconds(3)));
  }

  public OperatorHarness(OperatorSettings settings) {
    this.settings = settings;
  }

  /** For tests that run operators of their own: no leak check at the end. */
  public OperatorHarness withoutLeakCheck() {
    checkLeaks = false;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    CapturingAppender.install();
    mock = MockKubernetes.start(generatedCrds());
    server = mock.server();
    client = mock.client();
    simulators = Simulators.start();
    simulator = simulators.fme();
    statsig = simulators.statsig();
    startOperator();
  }

  /** The testkit's mock API server (CRUD mode, canned SelfSubjectRulesReview), not started yet. */
  public static KubernetesMockServer mockServer() {
    return MockKubernetes.newServer();
  }

  /** Applies the CRDs the build generated from the Java classes. */
  public static void applyCrds(KubernetesClient client) {
    MockKubernetes.applyCrds(client, generatedCrds());
  }

  private static Path generatedCrds() {
    return Path.of(System.getProperty("generated.crds.dir", "target/classes/META-INF/fabric8"));
  }

  public void startOperator() {
    operator = OperatorFactory.create(client, settings, metrics, tracing);
    operator.start();
  }

  /** Trace spans of the operator this harness starts (off by default). */
  public OperatorHarness withTracing(dev.apikeyoperator.ops.Tracing tracing) {
    this.tracing = tracing;
    return this;
  }

  public Operator operator() {
    return operator;
  }

  public void stopOperator() {
    operator.stop();
    operator = null;
  }

  /** A fresh namespace with a working ApiKeyProvider named {@link #PROVIDER}. */
  public String namespaceWithProvider() {
    return namespaceWithProvider(newNamespaceName());
  }

  /** The namespace {@code ns}, created, with a working ApiKeyProvider named {@link #PROVIDER}. */
  public String namespaceWithProvider(String ns) {
    mock.createNamespace(ns);
    credentials(ns, "fme-admin", simulator.adminToken());
    provider(ns, PROVIDER, "fme-admin");
    return ns;
  }

  private static String newNamespaceName() {
    return "t" + NAMESPACES.incrementAndGet();
  }

  public String newNamespace() {
    String ns = newNamespaceName();
    mock.createNamespace(ns);
    return ns;
  }

  public void credentials(String ns, String name, String token) {
    mock.createSecret(ns, name, "token", token);
  }

  public ApiKeyProvider provider(String ns, String name, String secretName) {
    ApiKeyProvider p = new ApiKeyProvider();
    p.getMetadata().setName(name);
    p.getMetadata().setNamespace(ns);
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.fme.baseUrl = simulator.baseUrl();
    spec.fme.credentials = new FmeCredentials();
    spec.fme.credentials.secretRef = new CredentialsSecretRef();
    spec.fme.credentials.secretRef.name = secretName;
    p.setSpec(spec);
    return client.resource(p).create();
  }

  /**
   * A ClusterApiKeyProvider {@code name} (not created yet) on the FME simulator, its credentials Secret
   * "fme-admin" in {@code credentialsNamespace}.
   */
  public dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider clusterProvider(String name,
      String credentialsNamespace) {
    var p = new dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider();
    p.getMetadata().setName(name);
    var spec = new dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.fme.baseUrl = simulator.baseUrl();
    spec.fme.credentials = new FmeCredentials();
    spec.fme.credentials.secretRef = new CredentialsSecretRef();
    spec.fme.credentials.secretRef.name = "fme-admin";
    spec.fme.credentials.secretRef.namespace = credentialsNamespace;
    p.setSpec(spec);
    return p;
  }

  /** Read-modify-write of a provider, retried when the operator wrote to it in between (409). */
  public void editProvider(String ns, String name, java.util.function.Consumer<ApiKeyProvider> change) {
    edit(ApiKeyProvider.class, ns, name, change);
  }

  /** Read-modify-write of any resource, retried on 409 (ns null for cluster-scoped kinds). */
  public <T extends io.fabric8.kubernetes.api.model.HasMetadata> void edit(Class<T> type, String ns, String name,
      java.util.function.Consumer<T> change) {
    for (int attempt = 0; ; attempt++) {
      T p = ns == null ? client.resources(type).withName(name).get()
          : client.resources(type).inNamespace(ns).withName(name).get();
      change.accept(p);
      try {
        client.resource(p).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  /** A fresh namespace with a working Statsig ApiKeyProvider named "statsig" (read back every second). */
  public String namespaceWithStatsigProvider() {
    return namespaceWithStatsigProvider(statsig.consoleKey());
  }

  /** A namespace with ApiKeyProvider "statsig" whose credentials Secret "statsig-console" holds {@code consoleKey}. */
  public String namespaceWithStatsigProvider(String consoleKey) {
    String ns = newNamespace();
    credentials(ns, "statsig-console", consoleKey);
    ApiKeyProvider p = new ApiKeyProvider();
    p.getMetadata().setName("statsig");
    p.getMetadata().setNamespace(ns);
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.statsig = new dev.apikeyoperator.api.v1alpha1.StatsigProviderSpec();
    spec.statsig.baseUrl = statsig.baseUrl();
    spec.statsig.readBackInterval = "1s";
    spec.statsig.credentials = new dev.apikeyoperator.api.v1alpha1.StatsigProviderSpec.Credentials();
    spec.statsig.credentials.secretRef = new CredentialsSecretRef();
    spec.statsig.credentials.secretRef.name = "statsig-console";
    p.setSpec(spec);
    client.resource(p).create();
    return ns;
  }

  /** A SERVER Statsig key. */
  public static ApiKey statsigKey(String ns, String name) {
    ApiKey k = new ApiKey();
    k.getMetadata().setName(name);
    k.getMetadata().setNamespace(ns);
    ApiKeySpec spec = new ApiKeySpec();
    spec.providerRef = new ProviderRef();
    spec.providerRef.name = "statsig";
    spec.statsig = new dev.apikeyoperator.api.v1alpha1.StatsigKeySpec();
    spec.statsig.type = dev.apikeyoperator.api.v1alpha1.StatsigKeyType.SERVER;
    spec.statsig.description = name + " service";
    spec.statsig.environments = new ArrayList<>(List.of("production"));
    k.setSpec(spec);
    return k;
  }

  /** Statsig keys (any status) whose description carries the marker of a key name starting with {@code prefix}. */
  public List<dev.apikeyoperator.simulator.StatsigSimKey> statsigKeys(String prefix) {
    return statsig.keys().stream().filter(k -> k.description().contains("(" + prefix)).toList();
  }

  /** A server_side key for project Shop, environment Production. */
  public static ApiKey serverSideKey(String ns, String name) {
    ApiKey k = new ApiKey();
    k.getMetadata().setName(name);
    k.getMetadata().setNamespace(ns);
    ApiKeySpec spec = new ApiKeySpec();
    spec.providerRef = new ProviderRef();
    spec.providerRef.name = PROVIDER;
    spec.fme = new FmeKeySpec();
    spec.fme.type = FmeKeyType.SERVER_SIDE;
    spec.fme.project = NameOrId.byName("Shop");
    spec.fme.environments = new ArrayList<>(List.of(NameOrId.byName("Production")));
    k.setSpec(spec);
    return k;
  }

  public ApiKey create(ApiKey k) {
    return client.resource(k).create();
  }

  public ApiKey get(String ns, String name) {
    return client.resources(ApiKey.class).inNamespace(ns).withName(name).get();
  }

  public Optional<StatusCondition> ready(String ns, String name) {
    ApiKey k = get(ns, name);
    return k == null || k.getStatus() == null ? Optional.empty()
        : Conditions.find(k.getStatus().conditions, Conditions.READY);
  }

  public Optional<StatusCondition> synced(String ns, String name) {
    ApiKey k = get(ns, name);
    return k == null || k.getStatus() == null ? Optional.empty()
        : Conditions.find(k.getStatus().conditions, Conditions.SYNCED);
  }

  /**
   * Waits until the ApiKey shows {@code reason} in kubectl's REASON column (the Synced condition's reason: the
   * problem when there is one, else KeyReady or Rotating); returns the condition that says it: Synced while it
   * is False, else Ready.
   */
  public StatusCondition awaitReason(String ns, String name, String reason) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
        assertThat(synced(ns, name)).as("Synced condition of %s/%s", ns, name)
            .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo(reason)));
    StatusCondition synced = synced(ns, name).orElseThrow();
    return "True".equals(synced.getStatus()) ? ready(ns, name).orElseThrow() : synced;
  }

  /**
   * Seals ApiKey {@code apiKey}'s ledger as it now is, as the operator would have (docs/design/ledger.md, "The ledger is
   * sealed"): for tests that set up what a killed operator process leaves behind.
   */
  public void sealLedger(String ns, String apiKey) {
    edit(Secret.class, ns, dev.apikeyoperator.secret.ManagedSecrets.ledgerName(apiKey), s -> {
      String document = value(s, "ledger.json");
      String seal = dev.apikeyoperator.ledger.LedgerSeal.bootstrap(client, null).seal(ns, apiKey,
          get(ns, apiKey).getMetadata().getUid(), document);
      s.getData().put("ledger.seal", Base64.getEncoder().encodeToString(seal.getBytes(StandardCharsets.UTF_8)));
    });
  }

  public Secret secret(String ns, String name) {
    return client.secrets().inNamespace(ns).withName(name).get();
  }

  public static String value(Secret s, String dataKey) {
    return new String(Base64.getDecoder().decode(s.getData().get(dataKey)), StandardCharsets.UTF_8);
  }

  /** Active keys at the simulator whose name starts with {@code prefix}. */
  public List<SimKey> activeKeys(String prefix) {
    return simulator.activeKeys().stream().filter(k -> k.name().startsWith(prefix)).toList();
  }

  public List<SimKey> allKeys(String prefix) {
    return simulator.keys().stream().filter(k -> k.name().startsWith(prefix)).toList();
  }

  public void awaitGone(String ns, String name) {
    await().atMost(Duration.ofSeconds(30)).until(() -> get(ns, name) == null);
  }

  /**
   * Guarantee 3: no key value the simulator ever handed out appears in captured logs, in any Event, in any
   * ApiKey's status, or in the metrics.
   */
  public void assertNoKeyValueLeaked() {
    List<String> values = new ArrayList<>(simulator.keys().stream().map(SimKey::key).toList());
    statsig.keys().forEach(k -> values.add(k.key()));
    assertThat(values).isNotEmpty();
    List<String> places = new ArrayList<>(CapturingAppender.lines());
    client.v1().events().inAnyNamespace().list().getItems()
        .forEach(e -> places.add(e.getReason() + " " + e.getMessage()));
    client.resources(ApiKey.class).inAnyNamespace().list().getItems()
        .forEach(k -> places.add(Serialization.asJson(k.getStatus())));
    places.add(metrics.scrape());
    for (String v : values) {
      assertThat(places).noneSatisfy(p -> assertThat(p).contains(v));
    }
  }

  public Map<String, Integer> requestCounts() {
    return simulator.requestCounts();
  }

  /** Guarantee 3 over the whole test class, then everything stops. */
  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (checkLeaks) {
        assertNoKeyValueLeaked();
      }
    } finally {
      close();
    }
  }

  private void close() {
    try {
      if (operator != null) {
        operator.stop();
      }
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
}
