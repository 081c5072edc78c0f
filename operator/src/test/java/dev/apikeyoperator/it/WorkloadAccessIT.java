package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/operations/rbac.md, "Reading workloads": without the rights to list and watch workloads (Helm consumers.enabled:
 * false) the operator starts and serves keys; status.consumers stays empty and the log says why.
 */
class WorkloadAccessIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  @Test
  void withoutRightsOnWorkloadsKeysAreServedAndNoConsumerIsListed() {
    h.stopOperator();
    h.server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .andReturn(201, new SelfSubjectAccessReviewBuilder().withNewStatus().withAllowed(false).endStatus().build())
        .always();
    h.startOperator();
    String ns = h.namespaceWithProvider();
    h.client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata()
        .withName("checkout").endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer()
        .withName("app").withImage("nginx").endContainer().addNewVolume().withName("key").withNewSecret()
        .withSecretName("shop").endSecret().endVolume().endSpec().endTemplate().endSpec().build()).create();
    h.create(serverSideKey(ns, "shop"));

    h.awaitReason(ns, "shop", "KeyReady");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
        assertThat(h.get(ns, "shop").getStatus().consumers).isNull());
    assertThat(CapturingAppender.lines()).anySatisfy(l -> assertThat(l)
        .contains("The operator may not list deployments in all namespaces"));
  }
}
