package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ConsumerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/guides/consumers.md: the workloads that use a key's Secret, restarted and waited for on a key change. */
class ConsumersIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  private static final String FINGERPRINT = "apikeyoperator.dev/key-fingerprint";

  @Test
  void everyWayOfUsingTheSecretIsListedSortedAndKeptCurrent() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "shop"));
    h.awaitReason(ns, "shop", "KeyReady");
    deployment(ns, "web", volumePod("shop", false));
    deployment(ns, "api", envPod("shop"));
    deployment(ns, "setup", new PodSpecBuilder().addToInitContainers(new ContainerBuilder().withName("init")
        .withImage("busybox").addNewEnv().withName("KEY").withNewValueFrom().withNewSecretKeyRef("apiKey", "shop",
            false).endValueFrom().endEnv().build()).addToContainers(plain()).build());
    deployment(ns, "unrelated", envPod("another-secret"));
    h.client.apps().statefulSets().inNamespace(ns).resource(new StatefulSetBuilder().withNewMetadata()
        .withName("db").endMetadata().withNewSpec().withNewTemplate().withSpec(projectedPod("shop")).endTemplate()
        .endSpec().build()).create();
    h.client.apps().daemonSets().inNamespace(ns).resource(new DaemonSetBuilder().withNewMetadata()
        .withName("agent").endMetadata().withNewSpec().withNewTemplate().withSpec(envFromPod("shop")).endTemplate()
        .endSpec().build()).create();
    cronJob(ns, "report", volumePod("shop", false));
    h.client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("debug").endMetadata()
        .withSpec(envPod("shop")).build()).create();
    h.client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("web-7f9c-abcde")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-7f9c")
        .withUid("u1").withController(true).endOwnerReference().endMetadata().withSpec(volumePod("shop", false))
        .build()).create();

    List<String> expected = List.of("CronJob report", "DaemonSet agent", "Deployment api", "Deployment setup",
        "Deployment web", "Pod debug", "StatefulSet db");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(consumers(ns, "shop"))
        .as("sorted by kind, then name; the ReplicaSet's Pod and the other Secret's user are not listed")
        .isEqualTo(expected));

    // Nothing the operator reads changes: no status write (Pod status churn wakes no key).
    String version = h.get(ns, "shop").getMetadata().getResourceVersion();
    h.edit(io.fabric8.kubernetes.api.model.Pod.class, ns, "web-7f9c-abcde", p -> p.getMetadata()
        .setLabels(new HashMap<>(Map.of("churn", "1"))));
    h.edit(Deployment.class, ns, "web", d -> d.getMetadata().setLabels(new HashMap<>(Map.of("team", "shop"))));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
        assertThat(h.get(ns, "shop").getMetadata().getResourceVersion()).isEqualTo(version));

    // A reference removed, a workload deleted: they drop out.
    h.edit(Deployment.class, ns, "api", d -> d.getSpec().getTemplate().setSpec(new PodSpecBuilder()
        .addToContainers(plain()).build()));
    h.client.pods().inNamespace(ns).withName("debug").delete();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(consumers(ns, "shop"))
        .isEqualTo(List.of("CronJob report", "DaemonSet agent", "Deployment setup", "Deployment web",
            "StatefulSet db")));
  }

  @Test
  void withRestartConsumersAReplacedKeyWaitsForTheRollout() {
    String ns = h.namespaceWithProvider();
    deployment(ns, "checkout", envPod("pay"));
    rolledOut(ns, "checkout");
    cronJob(ns, "nightly", volumePod("pay", false));
    ApiKey k = RotationIT.withGrace(serverSideKey(ns, "pay"), "3s");
    k.getSpec().restartConsumers = true;
    h.create(k);
    h.awaitReason(ns, "pay", "KeyReady");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(consumers(ns, "pay"))
        .containsExactly("CronJob nightly", "Deployment checkout"));
    assertThat(stamp(ns, "checkout")).as("the first key restarts nothing").isNull();
    String first = h.get(ns, "pay").getStatus().key.name;

    rotate(ns, "pay");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stamp(ns, "checkout"))
        .isEqualTo(h.get(ns, "pay").getStatus().key.fingerprint));
    // The Deployment controller starts rolling the stamped template out: 1 of 2 replicas updated.
    rollingOut(ns, "checkout");
    String second = h.get(ns, "pay").getStatus().key.fingerprint;
    assertThat(cronStamp(ns, "nightly")).as("the CronJob's next Jobs use the new key").isEqualTo(second);

    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
      assertThat(h.activeKeys(first)).as("the replaced key outlives its grace period").hasSize(1);
      assertThat(h.ready(ns, "pay").orElseThrow().getMessage()).contains("still rolling out: Deployment checkout")
          .doesNotContain("CronJob nightly");
    });
    assertThat(h.ready(ns, "pay").orElseThrow().getStatus()).isEqualTo("True");

    rolledOut(ns, "checkout");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.activeKeys(first)).isEmpty());
    h.awaitReason(ns, "pay", "KeyReady");
    assertThat(restarts(ns, "Deployment checkout")).as("stamped once per key change").isEqualTo(1);
    assertThat(warnings(ns)).as("every consumer had the new key").isEmpty();
  }

  @Test
  void withoutRestartConsumersAReplacedKeyIsRevokedAtItsGracePeriodAndAnEnvReaderIsWarnedAbout() {
    String ns = h.namespaceWithProvider();
    deployment(ns, "checkout", envPod("pay"));
    deployment(ns, "mounted", volumePod("pay", false));
    deployment(ns, "pinned", volumePod("pay", true));
    h.create(RotationIT.withGrace(serverSideKey(ns, "pay"), "1s"));
    h.awaitReason(ns, "pay", "KeyReady");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(consumers(ns, "pay")).hasSize(3));
    ApiKey before = h.get(ns, "pay");

    rotate(ns, "pay");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.activeKeys(before.getStatus().key.name))
        .isEmpty());
    assertThat(stamp(ns, "checkout")).as("no restart without restartConsumers").isNull();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(warnings(ns)).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo("Key " + before.getStatus().key.fingerprint
            + " was revoked while Deployment checkout, Deployment pinned still use Secret pay")));
  }

  @Test
  void deletingAKeyThatIsStillUsedIsAWarning() {
    String ns = h.namespaceWithProvider();
    deployment(ns, "checkout", volumePod("cart", false));
    h.create(serverSideKey(ns, "cart"));
    h.awaitReason(ns, "cart", "KeyReady");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(consumers(ns, "cart"))
        .containsExactly("Deployment checkout"));
    String fingerprint = h.get(ns, "cart").getStatus().key.fingerprint;

    h.client.resource(h.get(ns, "cart")).delete();
    h.awaitGone(ns, "cart");
    assertThat(warnings(ns)).singleElement().satisfies(e -> assertThat(e.getMessage())
        .isEqualTo("Key " + fingerprint + " was revoked while Deployment checkout still uses Secret cart"));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  static List<String> consumers(String ns, String apiKey) {
    ApiKey k = h.get(ns, apiKey);
    List<ConsumerStatus> listed = k == null || k.getStatus() == null ? null : k.getStatus().consumers;
    return listed == null ? List.of() : listed.stream().map(ConsumerStatus::toString).collect(Collectors.toList());
  }

  private static void rotate(String ns, String apiKey) {
    h.edit(ApiKey.class, ns, apiKey, a -> a.getMetadata().setAnnotations(new HashMap<>(Map.of(
        "apikeyoperator.dev/rotate-requested-at", "now"))));
  }

  private static List<Event> warnings(String ns) {
    return h.client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "RevokedWhileInUse".equals(e.getReason())).toList();
  }

  private static long restarts(String ns, String workload) {
    return h.client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "RolloutRestarted".equals(e.getReason()) && e.getMessage().startsWith("Restarted " + workload
            + " ")).count();
  }

  private static String stamp(String ns, String name) {
    var meta = h.client.apps().deployments().inNamespace(ns).withName(name).get().getSpec().getTemplate()
        .getMetadata();
    return meta == null || meta.getAnnotations() == null ? null : meta.getAnnotations().get(FINGERPRINT);
  }

  private static String cronStamp(String ns, String name) {
    CronJob c = h.client.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
    var meta = c.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata();
    return meta == null || meta.getAnnotations() == null ? null : meta.getAnnotations().get(FINGERPRINT);
  }

  /** What the Deployment controller reports once every replica runs the current template. */
  private static void rolledOut(String ns, String name) {
    h.edit(Deployment.class, ns, name, d -> d.setStatus(new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(2).withUpdatedReplicas(2)
        .withAvailableReplicas(2).build()));
  }

  private static void rollingOut(String ns, String name) {
    h.edit(Deployment.class, ns, name, d -> d.setStatus(new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(3).withUpdatedReplicas(1)
        .withAvailableReplicas(2).build()));
  }

  static Deployment deployment(String ns, String name, PodSpec pod) {
    return h.client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata()
        .withName(name).endMetadata().withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", name)
        .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withSpec(pod)
        .endTemplate().endSpec().build()).create();
  }

  private static void cronJob(String ns, String name, PodSpec pod) {
    h.client.batch().v1().cronjobs().inNamespace(ns).resource(new CronJobBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewSpec().withSchedule("0 3 * * *").withNewJobTemplate().withNewSpec().withNewTemplate()
        .withSpec(pod).endTemplate().endSpec().endJobTemplate().endSpec().build()).create();
  }

  private static Container plain() {
    return new ContainerBuilder().withName("app").withImage("nginx").build();
  }

  static PodSpec volumePod(String secret, boolean subPath) {
    return new PodSpecBuilder().addToContainers(new ContainerBuilder(plain()).addNewVolumeMount().withName("key")
        .withMountPath(subPath ? "/etc/key/apiKey" : "/etc/key").withSubPath(subPath ? "apiKey" : null)
        .endVolumeMount().build()).addToVolumes(new VolumeBuilder().withName("key").withNewSecret()
        .withSecretName(secret).endSecret().build()).build();
  }

  private static PodSpec projectedPod(String secret) {
    return new PodSpecBuilder().addToContainers(plain()).addToVolumes(new VolumeBuilder().withName("all")
        .withNewProjected().addNewSource().withNewSecret().withName(secret).endSecret().endSource().endProjected()
        .build()).build();
  }

  private static PodSpec envPod(String secret) {
    return new PodSpecBuilder().addToContainers(new ContainerBuilder(plain()).addNewEnv().withName("SPLIT_KEY")
        .withNewValueFrom().withNewSecretKeyRef("apiKey", secret, false).endValueFrom().endEnv().build()).build();
  }

  private static PodSpec envFromPod(String secret) {
    return new PodSpecBuilder().addToContainers(new ContainerBuilder(plain()).addNewEnvFrom().withNewSecretRef()
        .withName(secret).endSecretRef().endEnvFrom().build()).build();
  }
}
