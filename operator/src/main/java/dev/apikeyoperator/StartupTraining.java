package dev.apikeyoperator;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.ledger.LedgerSeal;
import dev.apikeyoperator.ops.LogFormat;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.ops.OpsServer;
import dev.apikeyoperator.ops.Tracing;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * The training run of the container image's class-data-sharing archive (Dockerfile, BENCHMARKS.md "Start-up"):
 * wires the operator as {@link ApiKeyOperator} does, serves and scrapes its metrics, reads the kinds it watches and
 * tries to start it against an API server that is not there (loopback port 1: nothing is ever sent anywhere), so
 * that {@code -XX:ArchiveClassesAtExit} records the classes a real start loads. Not an operator mode: it never
 * touches a cluster, and exits.
 */
public final class StartupTraining {
  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    train(Duration.ofSeconds(5));
    System.exit(0); // the informers of the failed start may still be retrying
  }

  /** Loads what a start loads; {@code startWait}: how long the start against no API server is given. */
  static void train(Duration startWait) throws IOException, InterruptedException {
    LogFormat.json.apply();
    LogFormat.text.apply();
    Config nowhere = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1")
        .withRequestRetryBackoffLimit(0).withConnectionTimeout(1000).withRequestTimeout(1000).build();
    KubernetesSerialization serialization = ApiKeyOperator.serialization();
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
      Thread start = new Thread(() -> {
        try {
          operator.start();
        } catch (RuntimeException expected) {
          // there is no API server
        }
      }, "training-start");
      start.setDaemon(true);
      start.start();
      start.join(startWait.toMillis());
    } finally {
      try {
        operator.stop();
      } catch (RuntimeException notStarted) {
        // nothing to stop
      }
      client.close();
    }
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
