package dev.apikeyoperator.sandbox;

import dev.apikeyoperator.OperatorFactory;
import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ProviderStatus;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.simulator.FmeSimulator;
import dev.apikeyoperator.simulator.StatsigSimKey;
import dev.apikeyoperator.simulator.StatsigSimulator;
import dev.apikeyoperator.simulator.UnleashSimulator;
import dev.apikeyoperator.status.Conditions;
import dev.apikeyoperator.testkit.MockKubernetes;
import dev.apikeyoperator.testkit.Simulators;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the sandbox runs, in this process: the testkit's mock Kubernetes API (CRUD mode), the FME and Statsig
 * simulators, the CRDs and the operator; and the look-ups the checks make in them.
 */
final class SandboxWorld implements AutoCloseable {
  private static final String CRD_DIR_DEFAULT = "crds";

  private final Checklist log;
  final MockKubernetes mock;
  final KubernetesClient client;
  private final Simulators simulators;
  final FmeSimulator fme;
  final StatsigSimulator statsig;
  /** The LaunchDarkly simulator, with the examples' project "checkout" and its environment "production". */
  final dev.apikeyoperator.simulator.LaunchDarklySimulator launchDarkly;
  final UnleashSimulator unleash;
  /** The CRDs applied, read by the schema check of the examples. */
  final List<CustomResourceDefinition> crds;
  private Operator operator;

  /** Starts the API and the simulators and applies the CRDs from {@code crdsDir} (null: see {@link #crdSource}). */
  SandboxWorld(Checklist log, Path crdsDir) throws IOException {
    this.log = log;
    mock = MockKubernetes.start();
    client = mock.client();
    log.line("Kubernetes API   " + client.getMasterUrl() + "  (fabric8 mock server, CRUD mode)");
    try {
      simulators = Simulators.start();
      fme = simulators.fme();
      statsig = simulators.statsig();
      launchDarkly = dev.apikeyoperator.simulator.LaunchDarklySimulator.start(0);
      launchDarkly.addEnvironment("checkout", "production");
      unleash = UnleashSimulator.start(0);
      log.line("FME simulator    " + fme.baseUrl());
      log.line("Statsig sim.     " + statsig.baseUrl());
      log.line("LaunchDarkly sim " + launchDarkly.baseUrl());
      log.line("Unleash sim.     " + unleash.baseUrl());
      crds = applyCrds(crdsDir);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The CRDs from {@code --crds DIR}, else from ./crds when it exists, else from the operator jar. */
  private List<CustomResourceDefinition> applyCrds(Path crdsDir) throws IOException {
    Path dir = crdsDir != null ? crdsDir : Path.of(CRD_DIR_DEFAULT);
    List<CustomResourceDefinition> applied;
    String source;
    if (crdsDir != null || Files.isDirectory(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--crds " + dir + " is not a directory");
      }
      applied = MockKubernetes.applyCrds(client, dir);
      source = dir.toString() + "/";
    } else {
      applied = MockKubernetes.applyCrds(client, crdsInTheOperatorJar());
      source = "the operator jar (META-INF/fabric8/)";
    }
    log.line("CRDs             " + String.join(", ", applied.stream().map(c -> c.getMetadata().getName()).toList())
        + "  from " + source);
    return applied;
  }

  /** The CRDs the build generated from the Java classes ship inside the operator jar. */
  private List<CustomResourceDefinition> crdsInTheOperatorJar() throws IOException {
    List<CustomResourceDefinition> found = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : List.of(ApiKey.class, ApiKeyProvider.class,
        ClusterApiKeyProvider.class)) {
      String resource = "META-INF/fabric8/" + HasMetadata.getFullResourceName(kind) + "-v1.yml";
      try (InputStream in = SandboxWorld.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the CRD " + resource + " is not on the classpath (rebuild the "
              + "operator: mvn install)");
        }
        found.add(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class));
      }
    }
    return found;
  }

  void createNamespaces(Set<String> namespaces) {
    namespaces.forEach(mock::createNamespace);
    log.line("namespaces       " + String.join(", ", namespaces));
  }

  void startOperator() {
    operator = OperatorFactory.create(client, OperatorSettings.defaults());
    operator.start();
    log.line("operator         started, watching all namespaces");
  }

  @Override
  public void close() {
    if (operator != null) {
      try {
        operator.stop();
      } catch (RuntimeException e) {
        log.line("operator did not stop cleanly: " + e.getMessage());
      }
    }
    try {
      if (simulators != null) {
        simulators.close();
      }
      if (launchDarkly != null) {
        launchDarkly.close();
      }
      if (unleash != null) {
        unleash.close();
      }
    } finally {
      mock.close();
    }
  }

  // ---------------------------------------------------------------------------------------------- look-ups

  ApiKey apiKey(Doc k) {
    return client.resources(ApiKey.class).inNamespace(k.namespace()).withName(k.name()).get();
  }

  static Optional<StatusCondition> ready(ApiKey k) {
    return k == null || k.getStatus() == null || k.getStatus().conditions == null ? Optional.empty()
        : Conditions.find(k.getStatus().conditions, Conditions.READY);
  }

  Optional<StatusCondition> providerReady(Doc p) {
    ProviderStatus status = p.kind().equals("ClusterApiKeyProvider")
        ? Optional.ofNullable(client.resources(ClusterApiKeyProvider.class).withName(p.name()).get())
            .map(x -> x.getStatus()).orElse(null)
        : Optional.ofNullable(client.resources(ApiKeyProvider.class).inNamespace(p.namespace()).withName(p.name())
            .get()).map(x -> x.getStatus()).orElse(null);
    return status == null || status.conditions == null ? Optional.empty()
        : Conditions.find(status.conditions, Conditions.READY);
  }

  /** True when {@code value} is an active key at either simulator. */
  boolean activeAtASimulator(String value) {
    return fme.activeKeys().stream().anyMatch(s -> s.key().equals(value))
        || statsig.activeKeys().stream().anyMatch(s -> s.key().equals(value))
        || launchDarkly != null && (launchDarkly.sdkCredentialWorks(value) || launchDarkly.tokenWorks(value))
        || unleash != null && unleash.works(value);
  }

  /** The Statsig simulator's description of the key whose value is {@code value}; "-" when there is none. */
  String statsigDescription(String value) {
    return statsig.keys().stream().filter(s -> s.key().equals(value)).findFirst().map(StatsigSimKey::description)
        .orElse("-");
  }

  static String vendorOf(ApiKey k) {
    return k.getSpec().unleash != null ? "unleash" : k.getSpec().statsig != null ? "statsig"
        : k.getSpec().launchDarkly != null ? "launchDarkly" : "fme";
  }

  static String typeOf(ApiKey k) {
    return k.getSpec().unleash != null && k.getSpec().unleash.type != null ? k.getSpec().unleash.type.name()
        : k.getSpec().statsig != null && k.getSpec().statsig.type != null ? k.getSpec().statsig.type.name()
        : k.getSpec().launchDarkly != null && k.getSpec().launchDarkly.type != null
        ? k.getSpec().launchDarkly.type.wire() : k.getSpec().fme != null && k.getSpec().fme.type != null
        ? k.getSpec().fme.type.wire() : "-";
  }

  static String secretName(ApiKey live, Doc k) {
    return live.getSpec().secret != null && live.getSpec().secret.name != null ? live.getSpec().secret.name
        : k.name();
  }

  static String dataKey(ApiKey live) {
    return live.getSpec().secret != null && live.getSpec().secret.key != null ? live.getSpec().secret.key : "apiKey";
  }

  /** The decoded value of {@code dataKey} in {@code secret}; null when there is none. */
  static String secretValue(Secret secret, String dataKey) {
    String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(dataKey);
    return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }
}
