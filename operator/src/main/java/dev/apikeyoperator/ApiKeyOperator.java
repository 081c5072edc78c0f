package dev.apikeyoperator;

import dev.apikeyoperator.api.v1alpha1.GoDuration;
import dev.apikeyoperator.ledger.LedgerSeal;
import dev.apikeyoperator.ops.LogFormat;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.ops.OpsServer;
import dev.apikeyoperator.ops.Tracing;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The operator's command line: every setting has a flag and an environment variable. */
@Command(name = "apikey-operator", mixinStandardHelpOptions = true, version = "apikey-operator 0.1.0",
    sortOptions = false,
    description = "Manages feature-flag vendor API keys (Harness FME) as Kubernetes ApiKey resources. Connects to "
        + "the cluster of the current kubeconfig or the in-cluster config (KUBECONFIG honoured).")
public final class ApiKeyOperator implements Callable<Integer> {
  @Option(names = "--watch-namespaces", defaultValue = "${env:WATCH_NAMESPACES:-}",
      description = "Comma-separated namespaces to watch; empty = all (env WATCH_NAMESPACES).")
  String watchNamespaces;

  @Option(names = "--http-port", defaultValue = "${env:HTTP_PORT:-8080}",
      description = "Port serving /metrics, /healthz and /readyz (env HTTP_PORT, default ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--operator-namespace", defaultValue = "${env:OPERATOR_NAMESPACE:-}",
      description = "The operator's own namespace: the ledger seal key and the leader-election Lease live there "
          + "(env OPERATOR_NAMESPACE, set by the Helm chart from the pod's namespace). Empty: the pod's namespace "
          + "when run in a pod; outside a pod it must be set.")
  String operatorNamespace;

  @Option(names = "--leader-election", defaultValue = "${env:LEADER_ELECTION:-true}", arity = "1",
      description = "Elect a leader through a Lease when an operator namespace is known (env LEADER_ELECTION, "
          + "default ${DEFAULT-VALUE}).")
  boolean leaderElection;

  @Option(names = "--log-format", defaultValue = "${env:LOG_FORMAT:-text}",
      description = "text or json (env LOG_FORMAT, default ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  @Option(names = "--vendor-connect-timeout", defaultValue = "${env:VENDOR_CONNECT_TIMEOUT:-5s}",
      description = "Connect timeout of vendor calls (env VENDOR_CONNECT_TIMEOUT, default ${DEFAULT-VALUE}).")
  String connectTimeout;

  @Option(names = "--vendor-read-timeout", defaultValue = "${env:VENDOR_READ_TIMEOUT:-20s}",
      description = "Read timeout of vendor calls (env VENDOR_READ_TIMEOUT, default ${DEFAULT-VALUE}).")
  String readTimeout;

  @Option(names = "--provider-recheck-interval", defaultValue = "${env:PROVIDER_RECHECK_INTERVAL:-10m}",
      description = "How often a provider's credentials are checked at the vendor again (env "
          + "PROVIDER_RECHECK_INTERVAL, default ${DEFAULT-VALUE}); a changed credential is noticed within a minute.")
  String providerRecheck;

  @Option(names = "--vendor-hosts",
      defaultValue = "${env:VENDOR_HOSTS:-api.split.io,app.harness.io,statsigapi.net,api.statsig.com,app.launchdarkly.com,app.eu.launchdarkly.com,app.launchdarkly.us}",
      description = "Comma-separated hosts a namespaced ApiKeyProvider may call, besides loopback (env VENDOR_HOSTS, "
          + "default ${DEFAULT-VALUE}); a ClusterApiKeyProvider may call any host.")
  String vendorHosts;

  @Option(names = "--vendor-call-deadline", defaultValue = "${env:VENDOR_CALL_DEADLINE:-30s}",
      description = "The longest one vendor call may take, whatever the server does (env VENDOR_CALL_DEADLINE, "
          + "default ${DEFAULT-VALUE}).")
  String callDeadline;

  @Option(names = "--reconciles-per-namespace", defaultValue = "${env:RECONCILES_PER_NAMESPACE:-4}",
      description = "How many vendor calls of one namespace (its providers' checks and ApiKeys) may be open at once, "
          + "so that a namespace whose vendor endpoint hangs cannot hold every reconcile thread (env "
          + "RECONCILES_PER_NAMESPACE, default ${DEFAULT-VALUE}).")
  int reconcilesPerNamespace;

  /** Where Kubernetes tells a pod its namespace. */
  static final Path POD_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @Override
  public Integer call() throws InterruptedException, IOException {
    logFormat.apply();
    Logger log = LoggerFactory.getLogger(ApiKeyOperator.class);
    Optional<String> ownNamespace = ownNamespace(operatorNamespace, POD_NAMESPACE);
    if (ownNamespace.isEmpty()) {
      // The seal key must live where only the operator's administrators read Secrets: never a guessed namespace
      // (docs/design/ledger.md, "The ledger is sealed").
      log.error("OPERATOR_NAMESPACE is not set and the operator does not run in a pod: set OPERATOR_NAMESPACE (or "
          + "--operator-namespace) to the operator's own namespace, where it keeps its ledger seal key");
      return 2;
    }
    operatorNamespace = ownNamespace.get();
    Set<String> namespaces = Arrays.stream(watchNamespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
    OperatorSettings defaults = OperatorSettings.defaults();
    OperatorSettings settings = new OperatorSettings(namespaces, GoDuration.parse(connectTimeout),
        GoDuration.parse(readTimeout), GoDuration.parse(providerRecheck), defaults.directoryTtl(), defaults.clock())
        .withVendorHosts(Arrays.stream(vendorHosts.split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .collect(Collectors.toSet()))
        .withVendorCallDeadline(GoDuration.parse(callDeadline))
        .withReconcilesPerNamespace(reconcilesPerNamespace);
    if (leaderElection && !operatorNamespace.isBlank()) {
      settings = settings.withLeaderElection(new LeaderElection(operatorNamespace, identity(),
          Duration.ofSeconds(15), true));
    }
    KubernetesClient client = OperatorFactory.client();
    // The ledger seal key lives in the operator's namespace, whether or not it elects a leader (docs/design/ledger.md).
    Supplier<LedgerSeal> seal = OperatorFactory.sealReadMeanwhile(client, operatorNamespace);
    OperatorMetrics metrics = new OperatorMetrics();
    Tracing tracing = Tracing.fromEnvironment(System.getenv());
    Operator operator = OperatorFactory.create(client, settings, metrics, seal, tracing);
    Runtime.getRuntime().addShutdownHook(new Thread(tracing::close, "tracing-shutdown"));
    operator.installShutdownHook(Duration.ofSeconds(10));
    OpsServer.start(httpPort, operator, metrics);
    operator.start();
    log.info("apikey-operator started, watching {}, leader election {}, metrics and health on port {}",
        namespaces.isEmpty() ? "all namespaces" : namespaces,
        settings.leaderElection().map(le -> "in namespace " + le.leaseNamespace()).orElse("off"), httpPort);
    new CountDownLatch(1).await();
    return 0;
  }

  /** The operator's namespace: as set, else the pod's own; empty when neither is known. */
  static Optional<String> ownNamespace(String configured, Path podNamespaceFile) throws IOException {
    if (configured != null && !configured.isBlank()) {
      return Optional.of(configured.strip());
    }
    return Files.isReadable(podNamespaceFile) ? Optional.of(Files.readString(podNamespaceFile).strip())
        .filter(ns -> !ns.isEmpty()) : Optional.empty();
  }

  /** The pod name when running in a pod (HOSTNAME), made unique per process. */
  private static String identity() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "apikey-operator";
      }
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * With fewer than 3 CPUs (a pod's CPU limit of 1 or 2) the JVM's common pool has a parallelism of 1, and every
   * {@code CompletableFuture} stage run "async" without an executor then starts a thread of its own: the Kubernetes
   * client's HTTP responses did so, thousands of threads per minute in a burst (BENCHMARKS.md, "What changed").
   * Set before anything touches the pool; an explicit {@code -D} setting wins.
   */
  static void shareTheCommonPool() {
    String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(property) == null) {
      System.setProperty(property, String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  public static void main(String[] args) {
    shareTheCommonPool();
    System.exit(new CommandLine(new ApiKeyOperator()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }
}
