package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.LeaderElection;
import dev.apikeyoperator.OperatorFactory;
import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.ops.OperatorMetrics;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two operator instances on one API server: only the leader reconciles; the other takes over when it stops. */
class LeaderElectionIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness().withoutLeakCheck();

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOver() {
    h.stopOperator(); // this test runs its own two instances
    String operatorNs = h.newNamespace();
    OperatorMetrics metricsA = new OperatorMetrics();
    OperatorMetrics metricsB = new OperatorMetrics();
    Operator a = OperatorFactory.create(h.client, settings(operatorNs, "a"), metricsA);
    a.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> "a".equals(holder(operatorNs)));
    Operator b = OperatorFactory.create(h.client, settings(operatorNs, "b"), metricsB);
    b.start();
    try {
      String ns = h.namespaceWithProvider();
      h.create(serverSideKey(ns, "first"));
      h.awaitReason(ns, "first", "KeyReady");
      assertThat(reconciliations(metricsA)).isPositive();
      assertThat(reconciliations(metricsB)).isZero();
      assertThat(holder(operatorNs)).isEqualTo("a");

      a.stop();
      await().atMost(Duration.ofSeconds(30)).until(() -> "b".equals(holder(operatorNs)));
      h.create(serverSideKey(ns, "second"));
      h.awaitReason(ns, "second", "KeyReady");
      assertThat(reconciliations(metricsB)).isPositive();
      assertThat(h.allKeys(ns + "-first-")).hasSize(1);
      assertThat(h.allKeys(ns + "-second-")).hasSize(1);
    } finally {
      b.stop();
    }
  }

  private static OperatorSettings settings(String leaseNamespace, String identity) {
    return OperatorSettings.defaults().withLeaderElection(new LeaderElection(leaseNamespace, identity,
        Duration.ofSeconds(3), false));
  }

  private static String holder(String ns) {
    Lease lease = h.client.leases().inNamespace(ns).withName(LeaderElection.LEASE_NAME).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static double reconciliations(OperatorMetrics metrics) {
    return metrics.registry().find("operator.sdk.reconciliations.started").counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }
}
