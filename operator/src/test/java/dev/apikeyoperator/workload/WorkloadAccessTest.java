package dev.apikeyoperator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ConsumerStatus.Kind;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The access reviews of the workload kinds are sent all at once, and a kind any of them denies is left out. */
class WorkloadAccessTest {
  @Test
  void everyReviewIsInFlightAtOnceAndADeniedKindIsLeftOut() {
    // 6 kinds x 2 verbs x 1 namespace: each answer waits until all 12 questions have been asked
    CountDownLatch asked = new CountDownLatch(12);
    WorkloadAccess access = new WorkloadAccess(Set.of("shop"), () -> "default", q -> {
      asked.countDown();
      try {
        assertThat(asked.await(10, TimeUnit.SECONDS)).as("all reviews in flight at once").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertThat(q.namespace()).isEqualTo("shop");
      return !(q.kind() == Kind.Pod && q.verb().equals("watch"));
    });

    long started = System.nanoTime();
    Set<Kind> readable = access.get();

    assertThat(readable).isEqualTo(EnumSet.complementOf(EnumSet.of(Kind.Pod)));
    assertThat(asked.getCount()).isZero();
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
  }

  @Test
  void watchingAllNamespacesAsksForTheClusterWideRight() {
    Set<String> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Set<Kind> readable = new WorkloadAccess(Set.of(io.javaoperatorsdk.operator.api.reconciler.Constants
        .WATCH_ALL_NAMESPACES), () -> "default", q -> asked.add(q.namespace()) || true).get();

    assertThat(readable).isEqualTo(EnumSet.allOf(Kind.class));
    assertThat(asked).containsExactly("");
  }
}
