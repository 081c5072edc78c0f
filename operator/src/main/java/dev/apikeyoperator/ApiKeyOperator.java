package dev.apikeyoperator;

import dev.apikeyoperator.ops.HealthServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The operator's command line: every setting has a flag and an environment variable. */
@Command(name = "apikey-operator", mixinStandardHelpOptions = true, version = "apikey-operator 0.1.0",
    description = "Manages feature-flag vendor API keys (Harness FME) as Kubernetes ApiKey resources. Connects to "
        + "the cluster of the current kubeconfig or the in-cluster config (KUBECONFIG honoured).")
public final class ApiKeyOperator implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyOperator.class);

  @Option(names = "--watch-namespaces", defaultValue = "${env:WATCH_NAMESPACES:-}",
      description = "Comma-separated namespaces to watch; empty = all (env WATCH_NAMESPACES).")
  String watchNamespaces;

  @Option(names = "--vendor-connect-timeout", defaultValue = "${env:VENDOR_CONNECT_TIMEOUT:-5s}",
      description = "Connect timeout of vendor calls, e.g. 5s (env VENDOR_CONNECT_TIMEOUT).")
  String connectTimeout;

  @Option(names = "--vendor-read-timeout", defaultValue = "${env:VENDOR_READ_TIMEOUT:-20s}",
      description = "Read timeout of vendor calls, e.g. 20s (env VENDOR_READ_TIMEOUT).")
  String readTimeout;

  @Option(names = "--provider-recheck-interval", defaultValue = "${env:PROVIDER_RECHECK_INTERVAL:-10m}",
      description = "How often a provider's credentials are checked again, e.g. 10m (env PROVIDER_RECHECK_INTERVAL).")
  String providerRecheck;

  @Option(names = "--http-port", defaultValue = "${env:HTTP_PORT:-8080}",
      description = "Port serving /healthz and /readyz (env HTTP_PORT).")
  int httpPort;

  @Override
  public Integer call() throws InterruptedException, java.io.IOException {
    Set<String> namespaces = Arrays.stream(watchNamespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
    OperatorSettings defaults = OperatorSettings.defaults();
    OperatorSettings settings = new OperatorSettings(namespaces, GoDuration.parse(connectTimeout),
        GoDuration.parse(readTimeout), GoDuration.parse(providerRecheck), defaults.directoryTtl(), defaults.clock());
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = OperatorFactory.create(client, settings);
    operator.installShutdownHook(Duration.ofSeconds(10));
    HealthServer.start(httpPort, operator);
    operator.start();
    LOG.info("apikey-operator started, watching {}", namespaces.isEmpty() ? "all namespaces" : namespaces);
    new CountDownLatch(1).await();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiKeyOperator()).execute(args));
  }
}
