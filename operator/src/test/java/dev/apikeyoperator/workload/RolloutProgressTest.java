package dev.apikeyoperator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a workload counts as rolled out to a new key (docs/guides/consumers.md), as kubectl rollout status says. */
class RolloutProgressTest {
  private static final String KEY = "sha256:00000000000000aa";
  private static final Instant CHANGED = Instant.parse("2026-06-01T12:00:00Z");

  private static Optional<String> pending(HasMetadata w) {
    return pending(w, Map.of());
  }

  private static Optional<String> pending(HasMetadata w, Map<String, Job> jobs) {
    return RolloutProgress.pending(ConsumerIndex.strip(w), KEY, CHANGED,
        name -> Optional.ofNullable(jobs.get(name)).map(ConsumerIndex::strip));
  }

  private static DeploymentBuilder deployment(String stamp, long generation, long observed, int updated,
      int available, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName("web").withGeneration(generation).endMetadata()
        .withNewSpec().withReplicas(3).withNewTemplate().withNewMetadata()
        .addToAnnotations(stamp == null ? Map.of() : Map.of("apikeyoperator.dev/key-fingerprint", stamp))
        .endMetadata().endTemplate().endSpec().withNewStatus().withObservedGeneration(observed)
        .withUpdatedReplicas(updated).withAvailableReplicas(available).withReplicas(replicas).endStatus();
  }

  @Test
  void aDeploymentIsDoneWhenItsControllerHasRolledTheStampedTemplateOut() {
    assertThat(pending(deployment(KEY, 5, 5, 3, 3, 3).build())).isEmpty();
    assertThat(pending(deployment(null, 5, 5, 3, 3, 3).build())).as("not restarted").isPresent();
    assertThat(pending(deployment("sha256:other", 5, 5, 3, 3, 3).build())).as("an older stamp").isPresent();
    assertThat(pending(deployment(KEY, 6, 5, 3, 3, 3).build())).as("change not observed yet").isPresent();
    assertThat(pending(deployment(KEY, 5, 5, 2, 3, 3).build())).as("a replica not updated").isPresent();
    assertThat(pending(deployment(KEY, 5, 5, 3, 2, 3).build())).as("a replica not available").isPresent();
    assertThat(pending(deployment(KEY, 5, 5, 3, 3, 4).build())).as("an old replica terminating").isPresent();
    Deployment defaultReplicas = deployment(KEY, 1, 1, 1, 1, 1).editSpec().withReplicas(null).endSpec().build();
    assertThat(pending(defaultReplicas)).as("spec.replicas defaults to 1").isEmpty();
  }

  @Test
  void aStatefulSetIsDoneWhenEveryReplicaRunsTheUpdateRevision() {
    StatefulSetBuilder done = new StatefulSetBuilder().withNewMetadata().withName("db").withGeneration(2L)
        .endMetadata().withNewSpec().withReplicas(2).withNewTemplate().withNewMetadata()
        .addToAnnotations("apikeyoperator.dev/key-fingerprint", KEY).endMetadata().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(2L).withUpdatedReplicas(2).withReadyReplicas(2)
        .withCurrentRevision("db-2").withUpdateRevision("db-2").endStatus();
    assertThat(pending(done.build())).isEmpty();
    assertThat(pending(done.editStatus().withCurrentRevision("db-1").endStatus().build())).isPresent();
    assertThat(pending(done.editStatus().withUpdatedReplicas(1).endStatus().build())).isPresent();
  }

  @Test
  void aDaemonSetIsDoneWhenEveryScheduledPodIsUpdatedAndAvailable() {
    DaemonSetBuilder done = new DaemonSetBuilder().withNewMetadata().withName("agent").withGeneration(3L)
        .endMetadata().withNewSpec().withNewTemplate().withNewMetadata()
        .addToAnnotations("apikeyoperator.dev/key-fingerprint", KEY).endMetadata().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(3L).withDesiredNumberScheduled(4).withUpdatedNumberScheduled(4)
        .withNumberAvailable(4).endStatus();
    assertThat(pending(done.build())).isEmpty();
    assertThat(pending(done.editStatus().withUpdatedNumberScheduled(3).endStatus().build())).isPresent();
    assertThat(pending(done.editStatus().withNumberAvailable(3).endStatus().build())).isPresent();
  }

  @Test
  void aCronJobIsDoneWhenStampedAndNoJobFromBeforeTheChangeStillRuns() {
    CronJobBuilder stamped = new CronJobBuilder().withNewMetadata().withName("nightly").endMetadata().withNewSpec()
        .withNewJobTemplate().withNewSpec().withNewTemplate().withNewMetadata()
        .addToAnnotations("apikeyoperator.dev/key-fingerprint", KEY).endMetadata().endTemplate().endSpec()
        .endJobTemplate().endSpec();
    assertThat(pending(stamped.build())).isEmpty();
    Job old = job("nightly-1", "2026-06-01T11:00:00Z", false);
    Job recent = job("nightly-2", "2026-06-01T12:30:00Z", false);
    assertThat(pending(stamped.withNewStatus().addNewActive().withName("nightly-2").endActive().endStatus().build(),
        Map.of("nightly-2", recent))).isEmpty();
    assertThat(pending(stamped.withNewStatus().addNewActive().withName("nightly-1").endActive().endStatus().build(),
        Map.of("nightly-1", old))).hasValueSatisfying(m -> assertThat(m).contains("1 Job(s)"));
  }

  @Test
  void aJobOrBarePodIsDoneWhenStartedAfterTheChangeOrFinished() {
    assertThat(pending(job("once", "2026-06-01T11:00:00Z", false))).isPresent();
    assertThat(pending(job("once", "2026-06-01T11:00:00Z", true))).isEmpty();
    assertThat(pending(job("once", "2026-06-01T12:00:01Z", false))).isEmpty();
    PodBuilder pod = new PodBuilder().withNewMetadata().withName("debug").endMetadata().withNewSpec().endSpec()
        .withNewStatus().withPhase("Running").withStartTime("2026-06-01T11:00:00Z").endStatus();
    assertThat(pending(pod.build())).isPresent();
    assertThat(pending(pod.editStatus().withPhase("Succeeded").endStatus().build())).isEmpty();
    assertThat(pending(pod.editStatus().withStartTime("2026-06-01T13:00:00Z").endStatus().build())).isEmpty();
  }

  private static Job job(String name, String started, boolean complete) {
    JobBuilder b = new JobBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNewTemplate()
        .withNewSpec().endSpec().endTemplate().endSpec().withNewStatus().withStartTime(started).endStatus();
    return complete ? b.editStatus().withCompletionTime("2026-06-01T11:30:00Z").addNewCondition()
        .withType("Complete").withStatus("True").endCondition().endStatus().build() : b.build();
  }
}
