package dev.apikeyoperator.workload;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.api.v1alpha1.ConsumerStatus;
import dev.apikeyoperator.secret.ManagedSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The workloads in an ApiKey's namespace whose pods mount or read its Secret (docs/guides/consumers.md), from informers
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

  /** Empty until the workload caches have synced; then the informers of the kinds that could be read. */
  private volatile Map<ConsumerStatus.Kind, InformerEventSource<? extends HasMetadata, ApiKey>> informers = Map.of();
  private final CountDownLatch synced;
  /** The ApiKeys looked at before the caches synced: woken then if what they were told has changed. */
  private final Set<ResourceID> lookedEarly = new HashSet<>();
  /** The ApiKeys whose revocation waited for the caches: woken when they have synced. */
  private final Set<ResourceID> heldEarly = new HashSet<>();
  private final IndexerResourceCache<ApiKey> primary;
  private final EventSource<?, ApiKey> source;

  private Consumers(IndexerResourceCache<ApiKey> primary, Function<Consumers, EventSource<?, ApiKey>> source) {
    this.primary = primary;
    this.synced = new CountDownLatch(primary == null ? 0 : 1);
    this.source = source.apply(this);
  }

  /** No informers: nothing is ever a consumer (for callers without workload caches). */
  public static Consumers none() {
    return new Consumers(null, c -> null);
  }

  /**
   * Indexes the primary cache and makes the event source that starts, in the controller's namespaces, the
   * informers of the kinds the operator may list and watch ({@code readable}, asked when it starts), without
   * holding back the first reconcile. Call from {@code prepareEventSources}.
   */
  public static Consumers watch(EventSourceContext<ApiKey> context, Supplier<Set<ConsumerStatus.Kind>> readable) {
    context.getPrimaryCache().addIndexer(PRIMARY_INDEX, Consumers::primaryIndexKeys);
    return new Consumers(context.getPrimaryCache(), c -> new WorkloadInformers(context, readable, c));
  }

  /** The event source to register. */
  public List<EventSource<?, ApiKey>> eventSources() {
    return source == null ? List.of() : List.of(source);
  }

  /**
   * Where the workload informers are registered, once the access reviews have said which kinds may be read: the
   * ApiKey controller's event sources (JOSDK gives their registry to reconciles only, so the wiring passes it here).
   */
  public void registerInformersWith(EventSourceRetriever<ApiKey> eventSources) {
    if (source instanceof WorkloadInformers workloads) {
      workloads.registerWith(eventSources);
    }
  }

  /** Whether the workload caches have synced (until then nobody is known to be a consumer, nor known not to be). */
  public boolean isSynced() {
    return synced.getCount() == 0;
  }

  /** Ends the reconcile as {@link WorkloadsNotRead} while the workload caches have not synced. */
  void requireSynced() {
    if (!isSynced()) {
      throw new WorkloadsNotRead();
    }
  }

  /** Notes an ApiKey looked at before the caches synced; false once they have (it may read them). */
  private boolean early(ApiKey apiKey, Set<ResourceID> into) {
    synchronized (lookedEarly) {
      if (isSynced()) {
        return false;
      }
      into.add(ResourceID.fromResource(apiKey));
      return true;
    }
  }

  /** A revocation of this ApiKey waits until the caches have synced, when it is woken; false once they have. */
  boolean holdUntilSynced(ApiKey apiKey) {
    return early(apiKey, heldEarly);
  }

  /**
   * The caches have synced ({@code running}: the informers that could start): the ApiKeys to wake, those whose
   * revocation waited and those whose status.consumers is not what the caches now say.
   */
  Set<ResourceID> synced(Map<ConsumerStatus.Kind, InformerEventSource<? extends HasMetadata, ApiKey>> running) {
    Set<ResourceID> looked;
    Set<ResourceID> wake;
    synchronized (lookedEarly) {
      informers = running;
      synced.countDown();
      looked = new HashSet<>(lookedEarly);
      wake = new HashSet<>(heldEarly);
      lookedEarly.clear();
      heldEarly.clear();
    }
    for (ResourceID id : looked) {
      primary.get(id).filter(apiKey -> !Objects.equals(listed(apiKey), apiKey.getStatus() == null ? null
          : apiKey.getStatus().consumers)).ifPresent(apiKey -> wake.add(id));
    }
    return wake;
  }

  /** The ApiKeys whose Secret the workload references, and those that list it (a reference may have gone). */
  static Set<ResourceID> keysFor(EventSourceContext<ApiKey> context, HasMetadata w) {
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

  /**
   * Sets status.consumers (the first {@link ApiKeyStatus#MAX_CONSUMERS}); null when there is none. Before the
   * workload caches have synced it is left as it was (the ApiKey is woken when they have, if it changed).
   */
  public void describe(ApiKey apiKey, ApiKeyStatus status) {
    if (!early(apiKey, lookedEarly)) {
      status.consumers = listed(apiKey);
    }
  }

  private List<ConsumerStatus> listed(ApiKey apiKey) {
    List<ConsumerStatus> listed = of(apiKey).stream().limit(ApiKeyStatus.MAX_CONSUMERS).map(Consumer::status)
        .toList();
    return listed.isEmpty() ? null : new ArrayList<>(listed);
  }
}
