package dev.apikeyoperator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What one workload costs in the operator's caches (docs/guides/consumers.md): the heap retained by N cached entries,
 * keyed as the informer's store keys them, measured after garbage collection, for the stripped copies the operator
 * keeps and for the full objects an informer would keep otherwise. Prints the figures; checks they stay small.
 */
class ConsumerMemoryTest {
  private static final int N = 3_000;

  @Test
  void aCachedWorkloadCostsAFewHundredBytes() {
    long consumer = perEntry(i -> parsed(deployment(i)), ConsumerIndex::strip);
    long fullConsumer = perEntry(i -> parsed(deployment(i)), UnaryOperator.identity());
    long ownedPod = perEntry(i -> parsed(ownedPod(i)), ConsumerIndex::strip);
    long fullPod = perEntry(i -> parsed(ownedPod(i)), UnaryOperator.identity());
    System.out.printf("Heap per cached workload: Deployment using the Secret %d bytes (full object %d), Pod of a "
        + "ReplicaSet %d bytes (full object %d)%n", consumer, fullConsumer, ownedPod, fullPod);
    assertThat(consumer).isLessThan(2048).isLessThan(fullConsumer / 3);
    assertThat(ownedPod).isLessThan(1024).isLessThan(fullPod / 4);
  }

  /** Objects as the informer gets them: parsed from JSON (no strings shared with the test's builders). */
  private static <T extends HasMetadata> T parsed(T object) {
    @SuppressWarnings("unchecked")
    T copy = (T) Serialization.unmarshal(Serialization.asJson(object), object.getClass());
    return copy;
  }

  private static <T extends HasMetadata> long perEntry(IntFunction<T> make, UnaryOperator<T> keep) {
    long before = usedAfterGc();
    Map<String, T> store = new ConcurrentHashMap<>();
    for (int i = 0; i < N; i++) {
      T w = keep.apply(make.apply(i));
      store.put(w.getMetadata().getNamespace() + "/" + w.getMetadata().getName(), w);
    }
    long after = usedAfterGc();
    assertThat(store).hasSize(N); // keeps the store reachable until measured
    return (after - before) / N;
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static Deployment deployment(int i) {
    Deployment d = ConsumerIndexTest.deployment(ConsumerIndexTest.everyUse());
    d.getMetadata().setName("shop-web-" + i);
    d.getMetadata().setUid(java.util.UUID.randomUUID().toString());
    return d;
  }

  private static Pod ownedPod(int i) {
    return new PodBuilder().withNewMetadata().withName("shop-web-7f9c6d8b5-" + i).withNamespace("shop")
        .withUid(java.util.UUID.randomUUID().toString()).withResourceVersion(String.valueOf(100000 + i))
        .addToLabels("app", "web").addToLabels("pod-template-hash", "7f9c6d8b5")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("shop-web-7f9c6d8b5")
        .withUid("6a1d3c44-9a55-4b8e-9f0e-4d6c9b1f2e11").withController(true).withBlockOwnerDeletion(true)
        .endOwnerReference().endMetadata().withSpec(ConsumerIndexTest.everyUse()).withNewStatus()
        .withPhase("Running").withPodIP("10.1.2.3").withStartTime("2026-06-01T12:00:00Z").addNewCondition()
        .withType("Ready").withStatus("True").endCondition().addNewContainerStatus().withName("app")
        .withImage("registry.example/shop/app:1.2.3").withReady(true).withRestartCount(0).endContainerStatus()
        .endStatus().build();
  }
}
