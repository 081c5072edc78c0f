package dev.apikeyoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import org.junit.jupiter.api.Test;

/** {@code networkPolicy.enabled}: only the metrics scraper and the kubelet reach the operator's port. */
class NetworkPolicyRenderTest {
  @Test
  void noneByDefault() {
    assertThat(Chart.render("").all(NetworkPolicy.class)).isEmpty();
  }

  @Test
  void admitsOnlyTheScraperAndTheNodesToTheOperatorsPort() {
    Chart.Rendered rendered = Chart.render("""
        networkPolicy:
          enabled: true
          metricsFrom:
            - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: monitoring } }
          kubeletCIDRs: [10.0.0.0/16]
        """);
    NetworkPolicy policy = rendered.one(NetworkPolicy.class);
    Deployment operator = rendered.one(Deployment.class);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(operator.getSpec().getSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    NetworkPolicyIngressRule rule = policy.getSpec().getIngress().get(0);
    assertThat(policy.getSpec().getIngress()).hasSize(1);
    assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
    assertThat(rule.getFrom()).hasSize(2);
    assertThat(rule.getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "monitoring");
    assertThat(rule.getFrom().get(1).getIpBlock().getCidr()).isEqualTo("10.0.0.0/16");
  }
}
