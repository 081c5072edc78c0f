package dev.apikeyoperator.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a workload has finished rolling out a key (docs/guides/consumers.md), read from its cached copy as
 * {@code kubectl rollout status} reads it: a Deployment, StatefulSet or DaemonSet carries the key's fingerprint
 * on its pod template and its controller reports every replica updated and available; a CronJob's job template
 * carries it and no Job started before the key change is still running; a Job or a bare Pod (which the operator
 * never restarts) started after the key change, or has finished.
 */
public final class RolloutProgress {
  private RolloutProgress() {}

  /**
   * Empty when {@code w} has rolled out the key {@code fingerprint}, created at {@code keyChangedAt}; else what
   * it still waits for. {@code jobs} finds a cached Job by name, for a CronJob's active Jobs.
   */
  public static Optional<String> pending(HasMetadata w, String fingerprint, Instant keyChangedAt,
      Function<String, Optional<HasMetadata>> jobs) {
    if (w instanceof Job j) {
      return started(j.getStatus() == null ? null : j.getStatus().getStartTime(), keyChangedAt)
          || finished(j) ? Optional.empty() : Optional.of("still runs with the replaced key");
    }
    if (w instanceof Pod p) {
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      return started(p.getStatus() == null ? null : p.getStatus().getStartTime(), keyChangedAt)
          || "Succeeded".equals(phase) || "Failed".equals(phase) ? Optional.empty()
          : Optional.of("still runs with the replaced key");
    }
    if (!fingerprint.equals(ConsumerIndex.stamp(w))) {
      return Optional.of("not restarted with the new key");
    }
    long generation = w.getMetadata().getGeneration() == null ? 0 : w.getMetadata().getGeneration();
    if (w instanceof Deployment d) {
      DeploymentStatus s = d.getStatus();
      int replicas = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      return s == null || n(s.getObservedGeneration()) < generation || n(s.getUpdatedReplicas()) != replicas
          || n(s.getAvailableReplicas()) < replicas || n(s.getReplicas()) > n(s.getUpdatedReplicas())
          ? Optional.of(updated(s == null ? null : s.getUpdatedReplicas(), replicas)) : Optional.empty();
    }
    if (w instanceof StatefulSet st) {
      StatefulSetStatus s = st.getStatus();
      int replicas = st.getSpec() == null || st.getSpec().getReplicas() == null ? 1 : st.getSpec().getReplicas();
      boolean rolling = st.getSpec() == null || st.getSpec().getUpdateStrategy() == null
          || !"OnDelete".equals(st.getSpec().getUpdateStrategy().getType());
      return s == null || n(s.getObservedGeneration()) < generation || n(s.getUpdatedReplicas()) != replicas
          || n(s.getReadyReplicas()) < replicas
          || rolling && !java.util.Objects.equals(s.getCurrentRevision(), s.getUpdateRevision())
          ? Optional.of(updated(s == null ? null : s.getUpdatedReplicas(), replicas)) : Optional.empty();
    }
    if (w instanceof DaemonSet ds) {
      DaemonSetStatus s = ds.getStatus();
      return s == null || n(s.getObservedGeneration()) < generation
          || n(s.getUpdatedNumberScheduled()) != n(s.getDesiredNumberScheduled())
          || n(s.getNumberAvailable()) < n(s.getDesiredNumberScheduled())
          ? Optional.of(updated(s == null ? null : s.getUpdatedNumberScheduled(),
              s == null ? 0 : n(s.getDesiredNumberScheduled()))) : Optional.empty();
    }
    if (w instanceof CronJob c) {
      List<ObjectReference> active = c.getStatus() == null || c.getStatus().getActive() == null ? List.of()
          : c.getStatus().getActive();
      long old = active.stream().map(r -> jobs.apply(r.getName())).filter(job -> job.isEmpty()
          || pending(job.get(), fingerprint, keyChangedAt, jobs).isPresent()).count();
      return old == 0 ? Optional.empty() : Optional.of(old + " Job(s) started before the key change still run");
    }
    return Optional.empty();
  }

  private static boolean finished(Job j) {
    return j.getStatus() != null && (j.getStatus().getCompletionTime() != null
        || j.getStatus().getConditions() != null && !j.getStatus().getConditions().isEmpty());
  }

  private static boolean started(String startTime, Instant keyChangedAt) {
    if (startTime == null) {
      return false;
    }
    try {
      return !Instant.parse(startTime).isBefore(keyChangedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static String updated(Integer updated, int wanted) {
    return n(updated) + " of " + wanted + " replicas updated and available";
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  private static long n(Long l) {
    return l == null ? 0 : l;
  }
}
