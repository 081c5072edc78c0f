package dev.apikeyoperator.workload;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ConsumerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ApiKey controller's event source for the workload caches (docs/guides/consumers.md). JOSDK starts every event
 * source registered up front, each informer listed and watching, before the controller's first reconcile; six
 * workload informers (and the access reviews before them) were the larger part of the operator's start-up
 * (docs/design/memory-and-startup.md). This source starts at once and, on a thread of its own, asks the access
 * reviews, then registers the readable kinds' informers with the controller through JOSDK's dynamic registration
 * ({@link EventSourceRetriever#dynamicallyRegisterEventSource}), which starts them, all at once, and stops them with
 * the controller. Until every one has synced, {@link Consumers} says so and its readers wait (no revocation,
 * status.consumers kept as it was); once synced, the ApiKeys that were looked at meanwhile are woken.
 */
final class WorkloadInformers extends AbstractEventSource<Void, ApiKey> {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadInformers.class);

  private final EventSourceContext<ApiKey> context;
  private final Supplier<Set<ConsumerStatus.Kind>> readable;
  private final Consumers consumers;
  /** Workloads created before this (the API server's clock may lag) were listed, not added: they wake nobody. */
  private final Instant listedBefore = Instant.now().minusSeconds(60);
  /** The controller's event sources, where the informers are registered ({@link #registerWith}). */
  private volatile EventSourceRetriever<ApiKey> eventSources;

  WorkloadInformers(EventSourceContext<ApiKey> context, Supplier<Set<ConsumerStatus.Kind>> readable,
      Consumers consumers) {
    super(Void.class, "consumer-workloads");
    this.context = context;
    this.readable = readable;
    this.consumers = consumers;
  }

  /** Where the informers go once the access reviews have answered: the ApiKey controller's event sources. */
  void registerWith(EventSourceRetriever<ApiKey> eventSources) {
    this.eventSources = eventSources;
  }

  @Override
  public void start() {
    super.start();
    Thread thread = new Thread(this::startInformers, "consumer-workloads-start");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public Set<Void> getSecondaryResources(ApiKey primary) {
    return Set.of();
  }

  private void startInformers() {
    Map<ConsumerStatus.Kind, InformerEventSource<? extends HasMetadata, ApiKey>> created =
        new EnumMap<>(ConsumerStatus.Kind.class);
    try {
      Set<ConsumerStatus.Kind> kinds = readable.get();
      if (!kinds.isEmpty() && eventSources == null) {
        throw new IllegalStateException("the workload caches were not given the controller's event sources");
      }
      for (ConsumerStatus.Kind kind : kinds) {
        created.put(kind, informer(type(kind)));
      }
      List<CompletableFuture<Void>> starts = created.entrySet().stream().map(e -> CompletableFuture.runAsync(() ->
          start(e.getKey(), e.getValue()), r -> {
            Thread t = new Thread(r, "consumer-workloads-" + e.getKey().name().toLowerCase(Locale.ROOT));
            t.setDaemon(true);
            t.start();
          })).toList();
      starts.forEach(CompletableFuture::join);
    } catch (RuntimeException e) {
      LOG.error("The workload caches could not be started: no workload is listed in status.consumers", e);
    }
    Map<ConsumerStatus.Kind, InformerEventSource<? extends HasMetadata, ApiKey>> running =
        new EnumMap<>(ConsumerStatus.Kind.class);
    created.forEach((kind, informer) -> {
      if (informer.isRunning()) {
        running.put(kind, informer);
      }
    });
    for (ResourceID key : consumers.synced(running)) {
      getEventHandler().handleEvent(new Event(key));
    }
  }

  /**
   * Registers one informer with the controller, which starts it (returns once it has synced); one that fails is
   * left out, as a kind not granted is.
   */
  private void start(ConsumerStatus.Kind kind, InformerEventSource<? extends HasMetadata, ApiKey> informer) {
    try {
      if (isRunning()) {
        eventSources.dynamicallyRegisterEventSource(informer);
      }
      if (!isRunning()) { // the operator stopped meanwhile: not left running after the controller stopped
        deregister(informer);
      }
    } catch (RuntimeException e) {
      if (!isRunning()) {
        deregister(informer);
        return; // stopped while it started: nothing to say
      }
      LOG.warn("The {} cache could not be started: {} workloads are not listed in status.consumers", kind, kind, e);
      deregister(informer);
    }
  }

  private void deregister(InformerEventSource<? extends HasMetadata, ApiKey> informer) {
    try {
      eventSources.dynamicallyDeRegisterEventSource(informer.name());
    } catch (RuntimeException ignored) {
      // it never ran
    }
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

  private <W extends HasMetadata> InformerEventSource<W, ApiKey> informer(Class<W> type) {
    InformerEventSource<W, ApiKey> informer = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(type, ApiKey.class)
        .withName("consumers-" + type.getSimpleName().toLowerCase(Locale.ROOT))
        .withNamespacesInheritedFromController()
        .withItemStore(new TransformingItemStore<W>(ConsumerIndex::strip))
        .withOnAddFilter(this::added)
        .withOnUpdateFilter((older, newer) -> !ConsumerIndex.sameFacts(older, newer))
        .withSecondaryToPrimaryMapper(w -> Consumers.keysFor(context, w))
        .build(), context);
    informer.addIndexers(Map.of(Consumers.SECRET_INDEX, w -> ConsumerIndex.controlled(w) ? List.of()
        : ConsumerIndex.secretRefs(w).keySet().stream().map(s -> w.getMetadata().getNamespace() + "/" + s)
            .toList()));
    return informer;
  }

  /**
   * Whether a workload's add event wakes its ApiKeys: not while the caches are first read (the ApiKeys looked at
   * before they synced are woken then, those reconciled after read the caches), nor for one created before start.
   */
  private boolean added(HasMetadata workload) {
    if (!consumers.isSynced()) {
      return false;
    }
    String created = workload.getMetadata().getCreationTimestamp();
    try {
      return created == null || Instant.parse(created).isAfter(listedBefore);
    } catch (DateTimeParseException e) {
      return true;
    }
  }
}
