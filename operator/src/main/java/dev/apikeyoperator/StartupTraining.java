package dev.apikeyoperator;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import dev.apikeyoperator.ledger.LedgerSeal;
import dev.apikeyoperator.ops.LogFormat;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.ops.OpsServer;
import dev.apikeyoperator.ops.Tracing;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceList;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.apps.DaemonSetList;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.api.model.apps.StatefulSetList;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobList;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executors;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run of the container image's class-data-sharing archive (Dockerfile, BENCHMARKS.md "Start-up"):
 * wires the operator as {@link ApiKeyOperator} does, serves and scrapes its metrics, reads the kinds it watches and
 * starts it against a stand-in API server on loopback in this very process (empty lists: nothing is ever sent
 * anywhere else), so that {@code -XX:ArchiveClassesAtExit} records the classes a real start loads. Not an operator
 * mode: it never touches a cluster, and exits.
 */
public final class StartupTraining {
  /** The lists the operator's informers read when they start. */
  private static final List<Class<?>> LISTED = List.of(SecretList.class, NamespaceList.class, DeploymentList.class,
      StatefulSetList.class, DaemonSetList.class, CronJobList.class, JobList.class, PodList.class);
  private static final String KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters:\n- name: training\n  cluster:\n"
      + "    server: https://127.0.0.1:1\ncontexts:\n- name: training\n  context:\n    cluster: training\n"
      + "    user: training\n    namespace: training\ncurrent-context: training\nusers:\n- name: training\n"
      + "  user:\n    token: training\n";

  private static final byte[] EMPTY_LIST = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}"
      .getBytes(StandardCharsets.UTF_8);

  private static final Duration QUIET = Duration.ofMillis(500);

  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    train(Duration.ofSeconds(5));
    System.exit(0); // the informers of the failed start may still be retrying
  }

  /** Loads what a start loads; {@code startWait}: how long the start against the stand-in is given. */
  static void train(Duration startWait) throws IOException, InterruptedException {
    LogFormat.json.apply();
    LogFormat.text.apply();
    // the command line, parsed as a start parses it (picocli's model is built by reflection, from many classes)
    new CommandLine(new ApiKeyOperator()).setCaseInsensitiveEnumValuesAllowed(true).parseArgs();
    // a kubeconfig, read as a start outside a pod reads one (YAML)
    Config.fromKubeconfig(KUBECONFIG);
    StandIn standIn = standIn();
    // HTTP watches: the stand-in cannot take a WebSocket upgrade, and a failed first watch stops the operator
    Config nowhere = new ConfigBuilder(Config.empty()).withOnlyHttpWatches(true)
        .withMasterUrl("http://127.0.0.1:" + standIn.server().getAddress().getPort())
        .withRequestRetryBackoffLimit(0).withConnectionTimeout(1000).withRequestTimeout(1000).build();
    KubernetesSerialization serialization = OperatorFactory.serialization();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(nowhere)
        .withKubernetesSerialization(serialization).build();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    OperatorMetrics metrics = new OperatorMetrics();
    Operator operator = OperatorFactory.create(client, OperatorSettings.defaults(), metrics, LedgerSeal.withKey(key),
        Tracing.off());
    try (OpsServer ops = OpsServer.start(0, operator, metrics)) {
      metrics.scrape();
      read(serialization, "v1", "Secret", Secret.class);
      read(serialization, "apikeyoperator.dev/v1alpha1", "ApiKey", ApiKey.class);
      // the first answer of every informer: a list of the kind it watches
      String list = "{\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[{\"metadata\":{\"name\":\"training\","
          + "\"namespace\":\"training\"}}]}";
      for (Class<?> type : LISTED) {
        serialization.unmarshal(list, type);
      }
      for (TypeReference<?> type : List.of(new TypeReference<DefaultKubernetesResourceList<ApiKey>>() {},
          new TypeReference<DefaultKubernetesResourceList<ApiKeyProvider>>() {},
          new TypeReference<DefaultKubernetesResourceList<ClusterApiKeyProvider>>() {})) {
        serialization.unmarshal(new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)), type);
      }
      Thread start = new Thread(() -> {
        try {
          operator.start();
        } catch (RuntimeException expected) {
          // the stand-in refuses every watch
        }
      }, "training-start");
      start.setDaemon(true);
      start.start();
      long deadline = System.nanoTime() + startWait.toNanos();
      start.join(startWait.toMillis());
      // the workload caches start after the operator has: until the stand-in has had no request for a while
      while (System.nanoTime() < deadline && System.nanoTime() - standIn.lastRequest().get() < QUIET.toNanos()) {
        Thread.sleep(50);
      }
    } finally {
      try {
        operator.stop();
      } catch (RuntimeException notStarted) {
        // nothing to stop
      }
      client.close();
      standIn.stop().run();
    }
  }

  /**
   * A stand-in for the API server on loopback, in this process: every list is empty, a watch sees no change, a
   * create is answered with what was sent. The start then goes through the HTTP client, the
   * informers' first list and watch and the access reviews as a real start does, and their classes are archived too.
   */
  private record StandIn(HttpServer server, AtomicLong lastRequest, Runnable stop) {}

  private static StandIn standIn() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicLong lastRequest = new AtomicLong(System.nanoTime());
    server.createContext("/", exchange -> {
      lastRequest.set(System.nanoTime());
      try (exchange) {
        byte[] sent = exchange.getRequestBody().readAllBytes();
        String query = exchange.getRequestURI().getRawQuery();
        boolean post = "POST".equals(exchange.getRequestMethod());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (query != null && query.contains("watch=true")) { // a watch that sees no change, until the end
          exchange.sendResponseHeaders(200, 0);
          exchange.getResponseBody().flush();
          stopped.await();
          return;
        }
        byte[] answer = post ? sent : EMPTY_LIST;
        exchange.sendResponseHeaders(post ? 201 : 200, answer.length);
        exchange.getResponseBody().write(answer);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "training-api-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.start();
    return new StandIn(server, lastRequest, () -> {
      stopped.countDown();
      server.stop(0);
      threads.shutdownNow();
    });
  }

  private static void read(KubernetesSerialization serialization, String apiVersion, String kind, Class<?> type) {
    Object read = serialization.unmarshal("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"" + apiVersion
        + "\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"training\",\"namespace\":\"training\"}}}",
        WatchEvent.class).getObject();
    if (!type.isInstance(read)) {
      throw new IllegalStateException(kind + " was read as " + read.getClass().getName());
    }
  }
}
