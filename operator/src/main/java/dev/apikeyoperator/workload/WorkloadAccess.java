package dev.apikeyoperator.workload;

import dev.apikeyoperator.api.v1alpha1.ConsumerStatus;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which workload kinds the operator may list and watch in every namespace it serves, asked once when the workload
 * caches start (SelfSubjectAccessReview; one review per kind, verb and namespace, all sent at once). A
 * SelfSubjectRulesReview would not do: it answers for one namespace only, and is incomplete under webhook
 * authorizers, while watching all namespaces needs the cluster-wide right. An informer that cannot list never
 * syncs; a kind the operator may not read is left out instead (its workloads are never listed as consumers), with a
 * warning in the log (docs/operations/rbac.md).
 */
public final class WorkloadAccess implements Supplier<Set<ConsumerStatus.Kind>> {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadAccess.class);
  private static final List<String> VERBS = List.of("list", "watch");

  private final Set<String> namespaces;
  private final Supplier<String> currentNamespace;
  private final Predicate<Question> review;

  public WorkloadAccess(KubernetesClient client, ControllerConfiguration<?> controller) {
    this(controller.getEffectiveNamespaces(), client::getNamespace, q -> allowed(client, q));
  }

  /** {@code review}: whether the API server allows what is asked (or gives no answer). */
  WorkloadAccess(Set<String> namespaces, Supplier<String> currentNamespace, Predicate<Question> review) {
    this.namespaces = namespaces;
    this.currentNamespace = currentNamespace;
    this.review = review;
  }

  /** One question: may the operator {@code verb} {@code kind} in {@code namespace} ("" = all namespaces). */
  record Question(ConsumerStatus.Kind kind, String verb, String namespace) {}

  /** The kinds every review allowed (or did not answer), in kind order; a warning for each kind left out. */
  @Override
  public Set<ConsumerStatus.Kind> get() {
    List<Question> questions = new ArrayList<>();
    for (ConsumerStatus.Kind kind : ConsumerStatus.Kind.values()) {
      for (String ns : namespaces) {
        for (String verb : VERBS) {
          questions.add(new Question(kind, verb, Constants.WATCH_ALL_NAMESPACES.equals(ns) ? ""
              : Constants.WATCH_CURRENT_NAMESPACE.equals(ns) ? currentNamespace.get() : ns));
        }
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(questions.size(), 12), r -> {
      Thread t = new Thread(r, "workload-access-review");
      t.setDaemon(true);
      return t;
    });
    try {
      List<CompletableFuture<Optional<Question>>> denied = questions.stream()
          .map(q -> CompletableFuture.supplyAsync(() -> review.test(q) ? Optional.<Question>empty() : Optional.of(q),
              pool))
          .toList();
      Set<ConsumerStatus.Kind> readable = EnumSet.allOf(ConsumerStatus.Kind.class);
      for (CompletableFuture<Optional<Question>> answer : denied) {
        answer.join().filter(q -> readable.remove(q.kind())).ifPresent(q -> LOG.warn("The operator may not {} {} "
            + "in {}: their workloads are not listed in status.consumers (grant it, see docs/operations/rbac.md)", q.verb(),
            resource(q.kind()), q.namespace().isEmpty() ? "all namespaces" : q.namespace()));
      }
      return readable;
    } finally {
      pool.shutdown();
    }
  }

  private static String resource(ConsumerStatus.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT) + "s";
  }

  private static boolean allowed(KubernetesClient client, Question q) {
    String group = switch (q.kind()) {
      case Deployment, StatefulSet, DaemonSet -> "apps";
      case CronJob, Job -> "batch";
      case Pod -> "";
    };
    try {
      SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(
          new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes().withGroup(group)
              .withResource(resource(q.kind())).withVerb(q.verb()).withNamespace(q.namespace())
              .endResourceAttributes().endSpec().build());
      // A review the API server does not answer (no status) is no denial: the informer is tried.
      return review.getStatus() == null || !Boolean.FALSE.equals(review.getStatus().getAllowed());
    } catch (KubernetesClientException e) {
      LOG.debug("SelfSubjectAccessReview for {} {} failed: HTTP {}", q.verb(), resource(q.kind()), e.getCode());
      return true;
    }
  }
}
