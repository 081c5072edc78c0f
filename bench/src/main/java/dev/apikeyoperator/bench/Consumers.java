package dev.apikeyoperator.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Workloads that consume the keys' Secrets: W Deployments and W bare Pods, workload i reading the mounted Secret of
 * key i (mod the key count) through an env var, preloaded beside the keys so the operator's workload caches (when it
 * has them) hold them from its start.
 */
final class Consumers {
  private Consumers() {}

  static void preload(World world, String ns, int w, int keys, IntFunction<String> secretOfKey) {
    List<String> deployments = new ArrayList<>();
    List<String> pods = new ArrayList<>();
    for (int i = 0; i < w; i++) {
      Container c = container(secretOfKey.apply(i % keys));
      Map<String, String> labels = Map.of("app", Bench.f("app-%05d", i));
      Deployment d = new DeploymentBuilder().withNewMetadata().withName(Bench.f("app-%05d", i)).withNamespace(ns)
          .endMetadata().withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec().withContainers(c)
          .endSpec().endTemplate().endSpec().build();
      deployments.add(Serialization.asJson(d));
      Pod p = new PodBuilder().withNewMetadata().withName(Bench.f("pod-%05d", i)).withNamespace(ns)
          .withLabels(Map.of("app", Bench.f("pod-%05d", i))).endMetadata().withNewSpec().withContainers(c).endSpec()
          .withNewStatus().withPhase("Running").endStatus().build();
      pods.add(Serialization.asJson(p));
    }
    world.mock.preload(ResourceDefinitionContext.fromResourceType(Deployment.class), deployments);
    world.mock.preload(ResourceDefinitionContext.fromResourceType(Pod.class), pods);
  }

  private static Container container(String secret) {
    return new ContainerBuilder().withName("app").withImage("registry.example/app:1.0").addNewEnv()
        .withName("FME_API_KEY").withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey("apiKey")
        .endSecretKeyRef().endValueFrom().endEnv().build();
  }
}
