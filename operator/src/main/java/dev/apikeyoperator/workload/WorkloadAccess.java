package dev.apikeyoperator.workload;

import dev.apikeyoperator.customresource.ConsumerStatus;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the operator may list and watch a workload kind in every namespace it serves, asked once at start-up
 * (SelfSubjectAccessReview). JOSDK stops the operator when an informer cannot start; a kind the operator may not
 * read is left out instead (its workloads are never listed as consumers), with a warning in the log (docs/rbac.md).
 */
public final class WorkloadAccess implements Predicate<ConsumerStatus.Kind> {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadAccess.class);

  private final KubernetesClient client;
  private final Set<String> namespaces;

  public WorkloadAccess(KubernetesClient client, ControllerConfiguration<?> controller) {
    this.client = client;
    this.namespaces = controller.getEffectiveNamespaces();
  }

  @Override
  public boolean test(ConsumerStatus.Kind kind) {
    String group = switch (kind) {
      case Deployment, StatefulSet, DaemonSet -> "apps";
      case CronJob, Job -> "batch";
      case Pod -> "";
    };
    String resource = kind.name().toLowerCase(java.util.Locale.ROOT) + "s";
    for (String ns : namespaces) {
      String namespace = Constants.WATCH_ALL_NAMESPACES.equals(ns) ? ""
          : Constants.WATCH_CURRENT_NAMESPACE.equals(ns) ? client.getNamespace() : ns;
      for (String verb : new String[] {"list", "watch"}) {
        if (!allowed(group, resource, verb, namespace)) {
          LOG.warn("The operator may not {} {} in {}: their workloads are not listed in status.consumers (grant it, "
              + "see docs/rbac.md)", verb, resource, namespace.isEmpty() ? "all namespaces" : namespace);
          return false;
        }
      }
    }
    return true;
  }

  private boolean allowed(String group, String resource, String verb, String namespace) {
    try {
      SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(
          new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes().withGroup(group)
              .withResource(resource).withVerb(verb).withNamespace(namespace).endResourceAttributes().endSpec()
              .build());
      // A review the API server does not answer (no status) is no denial: the informer is tried.
      return review.getStatus() == null || !Boolean.FALSE.equals(review.getStatus().getAllowed());
    } catch (KubernetesClientException e) {
      LOG.debug("SelfSubjectAccessReview for {} {} failed: HTTP {}", verb, resource, e.getCode());
      return true;
    }
  }
}
