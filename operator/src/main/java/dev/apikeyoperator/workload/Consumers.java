package dev.apikeyoperator.workload;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.ApiKeyStatus;
import dev.apikeyoperator.customresource.ConsumerStatus;
import dev.apikeyoperator.secret.ManagedSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The workloads in an ApiKey's namespace whose pods mount or read its Secret (README "Consumers"), from informers
 * on the six workload kinds that cache only {@link ConsumerIndex#strip stripped copies}. A workload event wakes
 * the ApiKeys whose Secret it references (or referenced: the ApiKeys that list it), and only when something the
 * operator reads changed. No API call: everything comes from the caches.
 */
public final class Consumers {
  /** Primary-cache index: "secret/namespace/name" of the Secret an ApiKey writes, and "kind/namespace/name" of each listed consumer. */
  public static final String PRIMARY_INDEX = "apikeys-by-secret-or-consumer";
  /** Workload-cache index: "namespace/secret" of each Secret a workload references. */
  static final String SECRET_INDEX = "workloads-by-secret";

  /** A workload that references the Secret; {@code readsAtStart}: through env, envFrom or a subPath mount. */
  public record Consumer(ConsumerStatus.Kind kind, String name, boolean readsAtStart, HasMetadata cached) {
    public ConsumerStatus status() {
      return new ConsumerStatus(kind, name);
    }

    @Override
    public String toString() {
      return kind + " " + name;
    }
  }

  private static final Comparator<Consumer> ORDER = Comparator.comparing((Consumer c) -> c.kind().name())
      .thenComparing(Consumer::name);

  private final Map<ConsumerStatus.Kind, InformerEventSource<? extends HasMetadata, ApiKey>> informers;

  private Consumers(Map<ConsumerStatus.Kind, InformerEventSource<? extends HasMetadata, ApiKey>> informers) {
    this.informers = informers;
  }

  /** No informers: nothing is ever a consumer (for callers without workload caches). */
  public static Consumers none() {
    return new Consumers(new EnumMap<>(ConsumerStatus.Kind.class));
  }

  /**
   * Creates the informers, in the controller's namespaces, for the kinds the operator may list and watch
   * ({@code allowed}); indexes the primary cache. Call from {@code prepareEventSources}.
   */
  public static Consumers watch(EventSourceContext<ApiKey> context, Predicate<ConsumerStatus.Kind> allowed) {
    context.getPrimaryCache().addIndexer(PRIMARY_INDEX, Consumers::primaryIndexKeys);
    Map<ConsumerStatus.Kind, InformerEventSource<? extends HasMetadata, ApiKey>> informers =
        new EnumMap<>(ConsumerStatus.Kind.class);
    for (ConsumerStatus.Kind kind : ConsumerStatus.Kind.values()) {
      if (allowed.test(kind)) {
        informers.put(kind, informer(context, type(kind)));
      }
    }
    return new Consumers(informers);
  }

  /** The informers to register. */
  public List<EventSource<?, ApiKey>> eventSources() {
    return new ArrayList<>(informers.values());
  }

  private static Class<? extends HasMetadata> type(ConsumerStatus.Kind kind) {
    return switch (kind) {
      case Deployment -> Deployment.class;
      case StatefulSet -> StatefulSet.class;
      case DaemonSet -> DaemonSet.class;
      case CronJob -> CronJob.class;
      case Job -> Job.class;
      case Pod -> Pod.class;
    };
  }

  private static <W extends HasMetadata> InformerEventSource<W, ApiKey> informer(EventSourceContext<ApiKey> context,
      Class<W> type) {
    InformerEventSource<W, ApiKey> informer = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(type, ApiKey.class)
        .withName("consumers-" + type.getSimpleName().toLowerCase(java.util.Locale.ROOT))
        .withNamespacesInheritedFromController()
        .withItemStore(new TransformingItemStore<W>(ConsumerIndex::strip))
        .withOnUpdateFilter((older, newer) -> !ConsumerIndex.sameFacts(older, newer))
        .withSecondaryToPrimaryMapper(w -> keysFor(context, w))
        .build(), context);
    informer.addIndexers(Map.of(SECRET_INDEX, w -> ConsumerIndex.controlled(w) ? List.of()
        : ConsumerIndex.secretRefs(w).keySet().stream().map(s -> w.getMetadata().getNamespace() + "/" + s)
            .toList()));
    return informer;
  }

  /** The ApiKeys whose Secret the workload references, and those that list it (a reference may have gone). */
  private static Set<ResourceID> keysFor(EventSourceContext<ApiKey> context, HasMetadata w) {
    String ns = w.getMetadata().getNamespace();
    Set<String> keys = new HashSet<>();
    keys.add(ConsumerIndex.kindOf(w) + "/" + ns + "/" + w.getMetadata().getName());
    if (!ConsumerIndex.controlled(w)) {
      ConsumerIndex.secretRefs(w).keySet().forEach(s -> keys.add("secret/" + ns + "/" + s));
    }
    return keys.stream().flatMap(k -> context.getPrimaryCache().byIndex(PRIMARY_INDEX, k).stream())
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  static List<String> primaryIndexKeys(ApiKey apiKey) {
    List<String> keys = new ArrayList<>();
    String ns = apiKey.getMetadata().getNamespace();
    if (apiKey.getSpec() != null) {
      keys.add("secret/" + ns + "/" + ManagedSecrets.secretName(apiKey));
    }
    if (apiKey.getStatus() != null && apiKey.getStatus().consumers != null) {
      apiKey.getStatus().consumers.forEach(c -> keys.add(c.kind + "/" + ns + "/" + c.name));
    }
    return keys;
  }

  /** The workloads whose pod template references the ApiKey's Secret, sorted by kind, then name. */
  public List<Consumer> of(ApiKey apiKey) {
    if (apiKey.getSpec() == null) {
      return List.of();
    }
    String indexKey = apiKey.getMetadata().getNamespace() + "/" + ManagedSecrets.secretName(apiKey);
    String secret = ManagedSecrets.secretName(apiKey);
    List<Consumer> result = new ArrayList<>();
    informers.forEach((kind, informer) -> informer.byIndex(SECRET_INDEX, indexKey).forEach(w ->
        result.add(new Consumer(kind, w.getMetadata().getName(),
            Boolean.TRUE.equals(ConsumerIndex.secretRefs(w).get(secret)), w))));
    result.sort(ORDER);
    return result;
  }

  /** A cached workload of the ApiKey's namespace, by kind and name. */
  public Optional<HasMetadata> cached(ConsumerStatus.Kind kind, String namespace, String name) {
    InformerEventSource<? extends HasMetadata, ApiKey> informer = informers.get(kind);
    return informer == null ? Optional.empty() : informer.get(new ResourceID(name, namespace)).map(w -> w);
  }

  /** Sets status.consumers (the first {@link ApiKeyStatus#MAX_CONSUMERS}); null when there is none. */
  public void describe(ApiKey apiKey, ApiKeyStatus status) {
    List<ConsumerStatus> listed = of(apiKey).stream().limit(ApiKeyStatus.MAX_CONSUMERS).map(Consumer::status)
        .toList();
    status.consumers = listed.isEmpty() ? null : new ArrayList<>(listed);
  }
}
