package dev.apikeyoperator.workload;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.RolloutTarget;
import dev.apikeyoperator.status.EventRecorder;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.secret.ManagedSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the workloads that mount a key when the key changes, the way {@code kubectl rollout restart} does: by
 * changing their pod template, here stamping it with the new key's fingerprint. A missing or forbidden target is a
 * Warning event, never a failure of the ApiKey.
 */
public final class RolloutRestarter {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutRestarter.class);

  private final KubernetesClient client;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Consumers consumers;

  public RolloutRestarter(KubernetesClient client, EventRecorder events, OperatorMetrics metrics,
      Consumers consumers) {
    this.client = client;
    this.events = events;
    this.metrics = metrics;
    this.consumers = consumers;
  }

  /**
   * Restarts the rollout targets and, with spec.restartConsumers, the consumers (docs/guides/consumers.md): each
   * workload once, a CronJob through its job template (its running Jobs are left alone), Jobs and bare Pods never.
   */
  public void restart(ApiKey apiKey, String fingerprint) {
    if (apiKey.getSpec().restartsConsumers()) {
      consumers.requireSynced(); // before anything is restarted: the whole restart is done once, in one pass
    }
    Set<String> done = new HashSet<>();
    for (RolloutTarget target : Optional.ofNullable(apiKey.getSpec().rolloutRestartTargets)
        .orElse(List.of())) {
      if (target == null || target.kind == null || target.name == null
          || !done.add(target.kind.name() + "/" + target.name)) {
        continue;
      }
      try {
        boolean found = switch (target.kind) {
          case Deployment -> stamp(Deployment.class, apiKey, target.name, fingerprint,
              d -> d.getSpec().getTemplate());
          case StatefulSet -> stamp(StatefulSet.class, apiKey, target.name, fingerprint,
              s -> s.getSpec().getTemplate());
          case DaemonSet -> stamp(DaemonSet.class, apiKey, target.name, fingerprint,
              d -> d.getSpec().getTemplate());
        };
        if (!found) {
          events.warning(apiKey, "RolloutTargetNotFound", target.kind + " " + target.name + " (in "
              + "spec.rolloutRestartTargets) does not exist; it was not restarted");
        }
      } catch (KubernetesClientException e) {
        events.warning(apiKey, "RolloutRestartFailed", "Could not restart " + target.kind + " " + target.name
            + " (HTTP " + e.getCode() + "); the operator needs patch rights on it (Helm value "
            + "rolloutRestart.enabled)");
        LOG.warn("Could not restart {} {}: HTTP {}", target.kind, target.name, e.getCode());
      }
    }
    if (apiKey.getSpec().restartsConsumers()) {
      for (Consumers.Consumer c : consumers.of(apiKey)) {
        if (done.add(c.kind().name() + "/" + c.name())) {
          restartConsumer(apiKey, c, fingerprint);
        }
      }
    }
  }

  private void restartConsumer(ApiKey apiKey, Consumers.Consumer c, String fingerprint) {
    try {
      switch (c.kind()) {
        case Deployment -> stamp(Deployment.class, apiKey, c.name(), fingerprint, d -> d.getSpec().getTemplate());
        case StatefulSet -> stamp(StatefulSet.class, apiKey, c.name(), fingerprint,
            s -> s.getSpec().getTemplate());
        case DaemonSet -> stamp(DaemonSet.class, apiKey, c.name(), fingerprint, d -> d.getSpec().getTemplate());
        case CronJob -> stamp(CronJob.class, apiKey, c.name(), fingerprint,
            j -> j.getSpec().getJobTemplate().getSpec().getTemplate());
        case Job, Pod -> { } // cannot be restarted without deleting the user's pods: never touched
      }
    } catch (KubernetesClientException e) {
      events.warning(apiKey, "RolloutRestartFailed", "Could not restart " + c + " (HTTP " + e.getCode()
          + "); the operator needs patch rights on it (Helm value rolloutRestart.enabled)");
      LOG.warn("Could not restart {}: HTTP {}", c, e.getCode());
    }
  }

  private <W extends HasMetadata> boolean stamp(Class<W> type, ApiKey apiKey, String name, String fingerprint,
      Function<W, PodTemplateSpec> template) {
    var resource = client.resources(type).inNamespace(apiKey.getMetadata().getNamespace()).withName(name);
    W workload = resource.get();
    if (workload == null) {
      return false;
    }
    var annotations = template.apply(workload).getMetadata() == null ? null
        : template.apply(workload).getMetadata().getAnnotations();
    if (annotations != null && fingerprint.equals(annotations.get(ManagedSecrets.FINGERPRINT_ANNOTATION))) {
      return true;
    }
    resource.edit(w -> {
      PodTemplateSpec t = template.apply(w);
      if (t.getMetadata() == null) {
        t.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
      }
      if (t.getMetadata().getAnnotations() == null) {
        t.getMetadata().setAnnotations(new HashMap<>());
      }
      t.getMetadata().getAnnotations().put(ManagedSecrets.FINGERPRINT_ANNOTATION, fingerprint);
      return w;
    });
    metrics.rolloutRestarted();
    LOG.info("Restarted {} {} for key {}", type.getSimpleName(), name, fingerprint);
    events.normal(apiKey, "RolloutRestarted", "Restarted " + type.getSimpleName() + " " + name
        + " to pick up key " + fingerprint);
    return true;
  }
}
