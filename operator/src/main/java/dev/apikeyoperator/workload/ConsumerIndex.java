package dev.apikeyoperator.workload;

import dev.apikeyoperator.api.v1alpha1.ConsumerStatus;
import dev.apikeyoperator.secret.ManagedSecrets;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the operator keeps of a workload in its caches (docs/guides/consumers.md): a stripped copy of the object, with
 * its name, generation, whether a controller owns it, the few rollout status fields the revocation gate reads, and,
 * in place of the pod template, one annotation naming the Secrets it references (volumes, projected volumes,
 * {@code env} and {@code envFrom} of containers and init containers), each marked {@code vol:} (a mounted volume,
 * which the kubelet refreshes) or {@code env:} (read when the container starts: env, envFrom, or a subPath mount),
 * and the key fingerprint the operator stamped on the pod template. Pods and Jobs owned by a controller are kept as
 * little more than their name: their owner is the consumer.
 */
public final class ConsumerIndex {
  /** On the cached copies only (never written to the API): the Secrets the pod template references. */
  static final String SECRET_REFS = "apikeyoperator.dev/cached-secret-refs";
  private static final String MOUNTED = "vol:";
  private static final String AT_START = "env:";
  /**
   * Every fabric8 model object starts with empty collections of its own; a cached copy holds none (a cluster has
   * many more Pods than keys): the copies are read, never changed.
   */
  private static final Map<String, Object> NONE = Map.of();

  private ConsumerIndex() {}

  /** The stripped copy of {@code w}; a copy already stripped is returned as it is. */
  @SuppressWarnings("unchecked")
  public static <W extends HasMetadata> W strip(W w) {
    if (isStripped(w)) {
      return w;
    }
    if (w instanceof Deployment d) {
      Deployment s = new Deployment();
      s.setAdditionalProperties(NONE);
      s.setMetadata(meta(d, d.getSpec() == null ? null : d.getSpec().getTemplate()));
      DeploymentSpec spec = new DeploymentSpec();
      spec.setAdditionalProperties(NONE);
      spec.setReplicas(d.getSpec() == null ? null : d.getSpec().getReplicas());
      s.setSpec(spec);
      DeploymentStatus st = d.getStatus();
      if (st != null) {
        DeploymentStatus k = new DeploymentStatus();
        k.setAdditionalProperties(NONE);
        k.setConditions(null);
        k.setObservedGeneration(st.getObservedGeneration());
        k.setReplicas(st.getReplicas());
        k.setUpdatedReplicas(st.getUpdatedReplicas());
        k.setAvailableReplicas(st.getAvailableReplicas());
        s.setStatus(k);
      }
      return (W) s;
    } else if (w instanceof StatefulSet d) {
      StatefulSet s = new StatefulSet();
      s.setAdditionalProperties(NONE);
      s.setMetadata(meta(d, d.getSpec() == null ? null : d.getSpec().getTemplate()));
      StatefulSetSpec spec = new StatefulSetSpec();
      spec.setAdditionalProperties(NONE);
      spec.setVolumeClaimTemplates(null);
      if (d.getSpec() != null) {
        spec.setReplicas(d.getSpec().getReplicas());
        if (d.getSpec().getUpdateStrategy() != null) {
          StatefulSetUpdateStrategy strategy = new StatefulSetUpdateStrategy(null, d.getSpec().getUpdateStrategy()
              .getType());
          strategy.setAdditionalProperties(NONE);
          spec.setUpdateStrategy(strategy);
        }
      }
      s.setSpec(spec);
      StatefulSetStatus st = d.getStatus();
      if (st != null) {
        StatefulSetStatus k = new StatefulSetStatus();
        k.setAdditionalProperties(NONE);
        k.setConditions(null);
        k.setObservedGeneration(st.getObservedGeneration());
        k.setReplicas(st.getReplicas());
        k.setUpdatedReplicas(st.getUpdatedReplicas());
        k.setReadyReplicas(st.getReadyReplicas());
        k.setCurrentRevision(st.getCurrentRevision());
        k.setUpdateRevision(st.getUpdateRevision());
        s.setStatus(k);
      }
      return (W) s;
    } else if (w instanceof DaemonSet d) {
      DaemonSet s = new DaemonSet();
      s.setAdditionalProperties(NONE);
      s.setMetadata(meta(d, d.getSpec() == null ? null : d.getSpec().getTemplate()));
      DaemonSetStatus st = d.getStatus();
      if (st != null) {
        DaemonSetStatus k = new DaemonSetStatus();
        k.setAdditionalProperties(NONE);
        k.setConditions(null);
        k.setObservedGeneration(st.getObservedGeneration());
        k.setDesiredNumberScheduled(st.getDesiredNumberScheduled());
        k.setUpdatedNumberScheduled(st.getUpdatedNumberScheduled());
        k.setNumberAvailable(st.getNumberAvailable());
        s.setStatus(k);
      }
      return (W) s;
    } else if (w instanceof CronJob c) {
      CronJob s = new CronJob();
      s.setAdditionalProperties(NONE);
      s.setMetadata(meta(c, c.getSpec() == null || c.getSpec().getJobTemplate() == null
          || c.getSpec().getJobTemplate().getSpec() == null ? null
          : c.getSpec().getJobTemplate().getSpec().getTemplate()));
      if (c.getStatus() != null && c.getStatus().getActive() != null && !c.getStatus().getActive().isEmpty()) {
        CronJobStatus k = new CronJobStatus();
        k.setAdditionalProperties(NONE);
        k.setActive(c.getStatus().getActive().stream().map(r -> {
          ObjectReference ref = new ObjectReference();
          ref.setAdditionalProperties(NONE);
          ref.setName(r.getName());
          return ref;
        }).toList());
        s.setStatus(k);
      }
      return (W) s;
    } else if (w instanceof Job j) {
      Job s = new Job();
      s.setAdditionalProperties(NONE);
      s.setMetadata(meta(j, controlled(j) || j.getSpec() == null ? null : j.getSpec().getTemplate()));
      JobStatus st = j.getStatus();
      if (st != null) {
        JobStatus k = new JobStatus();
        k.setAdditionalProperties(NONE);
        k.setConditions(null);
        k.setStartTime(st.getStartTime());
        k.setCompletionTime(st.getCompletionTime());
        if (st.getConditions() != null) {
          List<JobCondition> ended = st.getConditions().stream().filter(ConsumerIndex::ended)
              .map(c -> {
                JobCondition kept = new JobCondition(null, null, null, null, "True", c.getType());
                kept.setAdditionalProperties(NONE);
                return kept;
              }).toList();
          k.setConditions(ended.isEmpty() ? null : ended);
        }
        s.setStatus(k);
      }
      return (W) s;
    } else if (w instanceof Pod p) {
      Pod s = new Pod();
      s.setAdditionalProperties(NONE);
      boolean owned = controlled(p);
      s.setMetadata(meta(p, owned ? null : new PodTemplateSpec(null, p.getSpec())));
      if (!owned && p.getStatus() != null) {
        PodStatus k = new PodStatus();
        k.setAdditionalProperties(NONE);
        k.setConditions(null);
        k.setContainerStatuses(null);
        k.setEphemeralContainerStatuses(null);
        k.setHostIPs(null);
        k.setInitContainerStatuses(null);
        k.setPodIPs(null);
        k.setResourceClaimStatuses(null);
        k.setStartTime(p.getStatus().getStartTime());
        k.setPhase(p.getStatus().getPhase());
        s.setStatus(k);
      }
      return (W) s;
    }
    throw new IllegalArgumentException("not a workload kind: " + w.getKind());
  }

  /**
   * Whether the two copies differ in anything the operator reads (Secret references, the stamp, controller, rollout
   * status): other changes of a workload, above all Pod status churn, wake no ApiKey.
   */
  public static boolean sameFacts(HasMetadata older, HasMetadata newer) {
    HasMetadata a = strip(older);
    HasMetadata b = strip(newer);
    return Objects.equals(a.getMetadata().getAnnotations(), b.getMetadata().getAnnotations())
        && Objects.equals(a.getMetadata().getGeneration(), b.getMetadata().getGeneration())
        && Objects.equals(a.getMetadata().getOwnerReferences(), b.getMetadata().getOwnerReferences())
        && Objects.equals(rest(a), rest(b));
  }

  private static List<Object> rest(HasMetadata w) {
    if (w instanceof Deployment d) {
      return List.of(Optional.ofNullable(d.getSpec()), Optional.ofNullable(d.getStatus()));
    } else if (w instanceof StatefulSet d) {
      return List.of(Optional.ofNullable(d.getSpec()), Optional.ofNullable(d.getStatus()));
    } else if (w instanceof DaemonSet d) {
      return List.of(Optional.ofNullable(d.getStatus()));
    } else if (w instanceof CronJob c) {
      return List.of(Optional.ofNullable(c.getStatus()));
    } else if (w instanceof Job j) {
      return List.of(Optional.ofNullable(j.getStatus()));
    } else if (w instanceof Pod p) {
      return List.of(Optional.ofNullable(p.getStatus()));
    }
    return List.of();
  }

  /** The kind of a workload object. */
  public static ConsumerStatus.Kind kindOf(HasMetadata w) {
    return ConsumerStatus.Kind.valueOf(w.getClass().getSimpleName());
  }

  /** Whether a controller owns it (a Pod of a ReplicaSet, a Job of a CronJob): then it is not a consumer itself. */
  public static boolean controlled(HasMetadata w) {
    List<OwnerReference> owners = w.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()));
  }

  /**
   * The Secrets a (stripped or full) workload's pod template references, each with whether it is read only when a
   * container starts (env, envFrom, subPath mount: a changed key needs a restart) rather than mounted.
   */
  public static Map<String, Boolean> secretRefs(HasMetadata w) {
    HasMetadata s = strip(w);
    String refs = s.getMetadata().getAnnotations().get(SECRET_REFS);
    Map<String, Boolean> result = new TreeMap<>();
    if (refs == null || refs.isEmpty()) {
      return result;
    }
    for (String token : refs.split(" ")) {
      boolean atStart = token.startsWith(AT_START);
      result.merge(token.substring(MOUNTED.length()), atStart, Boolean::logicalOr);
    }
    return result;
  }

  /** The key fingerprint the operator last stamped on the workload's pod template (null: none). */
  public static String stamp(HasMetadata w) {
    return strip(w).getMetadata().getAnnotations().get(ManagedSecrets.FINGERPRINT_ANNOTATION);
  }

  private static boolean isStripped(HasMetadata w) {
    Map<String, String> annotations = w.getMetadata() == null ? null : w.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(SECRET_REFS);
  }

  private static boolean ended(JobCondition c) {
    return "True".equals(c.getStatus()) && ("Complete".equals(c.getType()) || "Failed".equals(c.getType()));
  }

  private static ObjectMeta meta(HasMetadata w, PodTemplateSpec template) {
    ObjectMeta from = w.getMetadata();
    ObjectMeta m = new ObjectMeta();
    m.setAdditionalProperties(NONE);
    m.setFinalizers(null);
    m.setLabels(null);
    m.setManagedFields(null);
    m.setOwnerReferences(null);
    m.setName(from.getName());
    m.setNamespace(from.getNamespace());
    m.setResourceVersion(from.getResourceVersion());
    m.setGeneration(from.getGeneration());
    if (from.getOwnerReferences() != null) {
      from.getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst()
          .ifPresent(o -> {
            OwnerReference controller = new OwnerReference(null, null, true, null, null, null);
            controller.setAdditionalProperties(NONE);
            m.setOwnerReferences(List.of(controller));
          });
    }
    String refs = template == null ? "" : encode(template.getSpec());
    String stamp = template == null || template.getMetadata() == null
        || template.getMetadata().getAnnotations() == null ? null
        : template.getMetadata().getAnnotations().get(ManagedSecrets.FINGERPRINT_ANNOTATION);
    m.setAnnotations(stamp == null ? Map.of(SECRET_REFS, refs)
        : Map.of(SECRET_REFS, refs, ManagedSecrets.FINGERPRINT_ANNOTATION, stamp));
    return m;
  }

  /** "vol:a env:b ...", sorted, each Secret once (env: when any use of it is read at start). */
  static String encode(PodSpec pod) {
    if (pod == null) {
      return "";
    }
    Map<String, Boolean> refs = new TreeMap<>();
    List<Container> containers = new ArrayList<>();
    Stream.of(pod.getContainers(), pod.getInitContainers()).filter(Objects::nonNull).forEach(containers::addAll);
    Set<String> subPathVolumes = new HashSet<>();
    for (Container c : containers) {
      each(c.getVolumeMounts(), m -> {
        if (notBlank(m.getSubPath()) || notBlank(m.getSubPathExpr())) {
          subPathVolumes.add(m.getName());
        }
      });
      each(c.getEnv(), e -> {
        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
          add(refs, e.getValueFrom().getSecretKeyRef().getName(), true);
        }
      });
      each(c.getEnvFrom(), e -> {
        if (e.getSecretRef() != null) {
          add(refs, e.getSecretRef().getName(), true);
        }
      });
    }
    for (Volume v : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
      boolean atStart = subPathVolumes.contains(v.getName());
      if (v.getSecret() != null) {
        add(refs, v.getSecret().getSecretName(), atStart);
      }
      if (v.getProjected() != null) {
        each(v.getProjected().getSources(), p -> {
          if (p.getSecret() != null) {
            add(refs, p.getSecret().getName(), atStart);
          }
        });
      }
    }
    StringBuilder b = new StringBuilder();
    refs.forEach((name, atStart) -> b.append(b.isEmpty() ? "" : " ").append(atStart ? AT_START : MOUNTED)
        .append(name));
    return b.toString();
  }

  private static void add(Map<String, Boolean> refs, String name, boolean atStart) {
    if (notBlank(name)) {
      refs.merge(name, atStart, Boolean::logicalOr);
    }
  }

  private static <T> void each(Collection<T> items, Consumer<T> action) {
    if (items != null) {
      items.forEach(action);
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
