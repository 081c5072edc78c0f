package dev.apikeyoperator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the workload caches keep (docs/guides/consumers.md): the Secret references, the stamp, the rollout status. */
class ConsumerIndexTest {

  /** A pod spec using Secrets in every way a pod can, with much else the cache must not keep. */
  static PodSpec everyUse() {
    return new PodSpecBuilder()
        .addToInitContainers(new ContainerBuilder().withName("init").withImage("busybox").withCommand("sh", "-c",
            "echo a long command line the cache has no use for").addNewEnv().withName("INIT_KEY").withNewValueFrom()
            .withNewSecretKeyRef("apiKey", "init-secret", false).endValueFrom().endEnv().build())
        .addToContainers(new ContainerBuilder().withName("app").withImage("registry.example/shop/app:1.2.3")
            .addNewEnv().withName("PLAIN").withValue("a value").endEnv()
            .addNewEnv().withName("KEY").withNewValueFrom().withNewSecretKeyRef("apiKey", "env-secret", false)
            .endValueFrom().endEnv()
            .addNewEnvFrom().withNewSecretRef().withName("envfrom-secret").endSecretRef().endEnvFrom()
            .addNewEnvFrom().withNewConfigMapRef().withName("a-configmap").endConfigMapRef().endEnvFrom()
            .addNewVolumeMount().withName("mounted").withMountPath("/etc/mounted").endVolumeMount()
            .addNewVolumeMount().withName("pinned").withMountPath("/etc/pinned/key").withSubPath("apiKey")
            .endVolumeMount().build())
        .addNewVolume().withName("mounted").withNewSecret().withSecretName("volume-secret").endSecret().endVolume()
        .addNewVolume().withName("pinned").withNewSecret().withSecretName("subpath-secret").endSecret().endVolume()
        .addNewVolume().withName("all").withNewProjected().addNewSource().withNewSecret().withName("projected-secret")
        .endSecret().endSource().addNewSource().withNewConfigMap().withName("other").endConfigMap().endSource()
        .endProjected().endVolume()
        .build();
  }

  static Deployment deployment(PodSpec pod) {
    return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u-1")
        .withGeneration(4L).withResourceVersion("17").addToLabels("app", "web")
        .addToAnnotations("deployment.kubernetes.io/revision", "4").endMetadata()
        .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web")
        .addToAnnotations("apikeyoperator.dev/key-fingerprint", "sha256:0123456789abcdef").endMetadata()
        .withSpec(pod).endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(4L).withReplicas(3).withUpdatedReplicas(3).withAvailableReplicas(3)
        .withReadyReplicas(3).addNewCondition().withType("Available").withStatus("True").withMessage("a message")
        .endCondition().endStatus().build();
  }

  @Test
  void keepsEverySecretReferenceMarkedByHowItIsRead() {
    Deployment stripped = ConsumerIndex.strip(deployment(everyUse()));
    assertThat(ConsumerIndex.secretRefs(stripped)).isEqualTo(Map.of("init-secret", true, "env-secret", true,
        "envfrom-secret", true, "subpath-secret", true, "volume-secret", false, "projected-secret", false));
    assertThat(ConsumerIndex.stamp(stripped)).isEqualTo("sha256:0123456789abcdef");
    assertThat(stripped.getSpec().getTemplate()).as("no pod template is kept").isNull();
    assertThat(stripped.getMetadata().getLabels()).isNull();
    assertThat(stripped.getSpec().getReplicas()).isEqualTo(3);
    assertThat(stripped.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(stripped.getStatus().getConditions()).isNull();
    assertThat(stripped.getMetadata().getGeneration()).isEqualTo(4L);
    assertThat(ConsumerIndex.strip(stripped)).as("stripping twice changes nothing").isSameAs(stripped);
    assertThat(ConsumerIndex.secretRefs(deployment(everyUse()))).as("read from a full object too")
        .isEqualTo(ConsumerIndex.secretRefs(stripped));
  }

  @Test
  void aPodOwnedByAControllerIsNoConsumerAndKeepsAlmostNothing() {
    Pod owned = new PodBuilder().withNewMetadata().withName("web-7f9c-abcde").withNamespace("shop")
        .addNewOwnerReference().withKind("ReplicaSet").withName("web-7f9c").withController(true).endOwnerReference()
        .endMetadata().withSpec(everyUse()).withNewStatus().withPhase("Running").withStartTime("2026-01-01T00:00:00Z")
        .endStatus().build();
    Pod stripped = ConsumerIndex.strip(owned);
    assertThat(ConsumerIndex.controlled(stripped)).isTrue();
    assertThat(ConsumerIndex.secretRefs(stripped)).isEmpty();
    assertThat(stripped.getSpec()).isNull();
    assertThat(stripped.getStatus()).isNull();

    Pod churned = new PodBuilder(owned).editStatus().withPhase("Failed").endStatus().build();
    assertThat(ConsumerIndex.sameFacts(stripped, churned)).as("status churn of an owned Pod wakes no key").isTrue();
  }

  @Test
  void aBarePodKeepsWhenItStartedAndAChangedReferenceIsAChange() {
    Pod bare = new PodBuilder().withNewMetadata().withName("debug").withNamespace("shop").endMetadata()
        .withSpec(everyUse()).withNewStatus().withPhase("Running").withStartTime("2026-01-01T00:00:00Z")
        .addNewContainerStatus().withName("app").withRestartCount(3).endContainerStatus().endStatus().build();
    Pod stripped = ConsumerIndex.strip(bare);
    assertThat(stripped.getStatus().getStartTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(stripped.getStatus().getContainerStatuses()).isNull();
    assertThat(ConsumerIndex.secretRefs(stripped)).containsKey("env-secret");

    Pod restarted = new PodBuilder(bare).editStatus().editFirstContainerStatus().withRestartCount(4)
        .endContainerStatus().endStatus().build();
    assertThat(ConsumerIndex.sameFacts(stripped, restarted)).isTrue();
    Pod changed = new PodBuilder(bare).editSpec().withVolumes().endSpec().build();
    assertThat(ConsumerIndex.sameFacts(stripped, changed)).isFalse();
  }

  @Test
  void aJobKeepsWhetherItEnded() {
    Job job = new JobBuilder().withNewMetadata().withName("once").withNamespace("shop").endMetadata()
        .withNewSpec().withNewTemplate().withSpec(everyUse()).endTemplate().endSpec().withNewStatus()
        .withStartTime("2026-01-01T00:00:00Z").addNewCondition().withType("Failed").withStatus("True")
        .withMessage("BackoffLimitExceeded").endCondition().endStatus().build();
    Job stripped = ConsumerIndex.strip(job);
    assertThat(stripped.getStatus().getConditions()).singleElement()
        .satisfies(c -> assertThat(c.getType()).isEqualTo("Failed"));
    assertThat(stripped.getStatus().getConditions().get(0).getMessage()).isNull();
    assertThat(ConsumerIndex.secretRefs(stripped)).hasSize(6);
  }
}
