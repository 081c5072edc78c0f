package dev.apikeyoperator.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.api.v1alpha1.ConsumerStatus;
import dev.apikeyoperator.it.OperatorHarness;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.ledger.LedgerKey;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The workload caches start beside the ApiKey controller, not before its first reconcile (BENCHMARKS.md
 * "Start-up"); until they have synced nobody is known to be a consumer, nor known not to be: no replaced key is
 * revoked, status.consumers stays as it was, and the ApiKeys looked at meanwhile are woken once they have synced.
 */
class WorkloadCachesStartTest {
  private static final LedgerKey CURRENT = new LedgerKey("k2", "2", KeyValue.of("v2"), Instant.now(), "i", "i", "",
      null);

  private final Map<ResourceID, ApiKey> primary = new HashMap<>();
  private final CountDownLatch reviewsAnswered = new CountDownLatch(1);
  private final List<Event> woken = new CopyOnWriteArrayList<>();

  @Test
  void theEventSourceStartsAtOnceAndReplacedKeysWaitUntilTheCachesHaveSynced() {
    ApiKey held = key("held", null);
    ApiKey listedGone = key("listed", List.of(new ConsumerStatus(ConsumerStatus.Kind.Deployment, "checkout")));
    ApiKey unchanged = key("unchanged", null);
    Consumers consumers = Consumers.watch(new EventSourceContext<>(cache(), null, null, ApiKey.class), () -> {
      try {
        reviewsAnswered.await(); // the access reviews have not been answered yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return EnumSet.noneOf(ConsumerStatus.Kind.class);
    });
    var source = consumers.eventSources().get(0);
    source.setEventHandler(woken::add);
    source.start(); // returns while the reviews are still unanswered: the controller's first reconcile can run
    KeyUse keyUse = new KeyUse(consumers, null);

    assertThat(consumers.isSynced()).isFalse();
    assertThat(keyUse.revocationHeld(held, CURRENT)).hasValue(KeyUse.WAITING_FOR_CACHES);
    ApiKeyStatus status = new ApiKeyStatus();
    status.consumers = new ArrayList<>(listedGone.getStatus().consumers);
    consumers.describe(listedGone, status);
    assertThat(status.consumers).as("kept as it was").containsExactly(
        new ConsumerStatus(ConsumerStatus.Kind.Deployment, "checkout"));
    consumers.describe(unchanged, new ApiKeyStatus());
    // what needs the caches ends the reconcile, to come back, instead of waiting on its thread
    assertThatThrownBy(keyUse::beforeRevoking).isInstanceOf(WorkloadsNotRead.class);
    held.getSpec().restartConsumers = true;
    assertThatThrownBy(() -> new RolloutRestarter(null, null, null, consumers).restart(held, "sha256:aaaa"))
        .isInstanceOf(WorkloadsNotRead.class);

    reviewsAnswered.countDown();
    await().atMost(Duration.ofSeconds(10)).until(consumers::isSynced);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(woken)
        .extracting(Event::getRelatedCustomResourceID).containsExactlyInAnyOrder(ResourceID.fromResource(held), ResourceID.fromResource(listedGone)));
    assertThat(keyUse.revocationHeld(held, CURRENT)).isEmpty();
    keyUse.beforeRevoking(); // no longer ends the reconcile
    consumers.describe(listedGone, status);
    assertThat(status.consumers).as("the caches list no consumer now").isNull();
  }

  private ApiKey key(String name, List<ConsumerStatus> listed) {
    ApiKey apiKey = OperatorHarness.serverSideKey("shop", name);
    apiKey.setStatus(new ApiKeyStatus());
    apiKey.getStatus().consumers = listed;
    primary.put(ResourceID.fromResource(apiKey), apiKey);
    return apiKey;
  }

  private IndexerResourceCache<ApiKey> cache() {
    return new IndexerResourceCache<>() {
      @Override
      public void addIndexers(Map<String, Function<ApiKey, List<String>>> indexers) {}

      @Override
      public List<ApiKey> byIndex(String indexName, String indexKey) {
        return List.of();
      }

      @Override
      public Stream<ApiKey> list(String namespace, Predicate<ApiKey> predicate) {
        return list(predicate);
      }

      @Override
      public Optional<ApiKey> get(ResourceID id) {
        return Optional.ofNullable(primary.get(id));
      }

      @Override
      public Stream<ResourceID> keys() {
        return primary.keySet().stream();
      }

      @Override
      public Stream<ApiKey> list(Predicate<ApiKey> predicate) {
        return primary.values().stream().filter(predicate);
      }
    };
  }
}
