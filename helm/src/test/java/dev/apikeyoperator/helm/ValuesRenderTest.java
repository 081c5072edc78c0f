package dev.apikeyoperator.helm;

import static dev.apikeyoperator.helm.DefaultValuesRenderTest.container;
import static dev.apikeyoperator.helm.DefaultValuesRenderTest.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code helm template} with non-default values. */
class ValuesRenderTest {
  private static final RbacRules.Grant PATCH_DEPLOYMENTS = new RbacRules.Grant("apps", "deployments", "patch");

  @Test
  void watchNamespacesGrantsNamespacedRightsThroughOneRolePerNamespace() {
    Chart.Rendered rendered = Chart.render("watchNamespaces: [a, b]\n");

    assertThat(env(container(rendered.one(Deployment.class)), "WATCH_NAMESPACES").getValue()).isEqualTo("a,b");
    for (String ns : List.of("a", "b")) {
      Role role = rendered.find(Role.class, ns, "apikey-operator").orElseThrow(() -> new AssertionError("no Role in " + ns));
      assertThat(RbacRules.flatten(role.getRules())).contains(
          new RbacRules.Grant("apikeyoperator.dev", "apikeys", "watch"),
          new RbacRules.Grant("apikeyoperator.dev", "apikeys/status", "update"),
          new RbacRules.Grant("apikeyoperator.dev", "apikeys/finalizers", "update"),
          new RbacRules.Grant("apikeyoperator.dev", "apikeyproviders", "list"),
          new RbacRules.Grant("", "secrets", "create"),
          new RbacRules.Grant("", "secrets", "delete"),
          new RbacRules.Grant("", "events", "create"));
      assertThat(RbacRules.flatten(role.getRules())).noneMatch(g -> g.resource().startsWith("clusterapikeyproviders")
          || g.resource().equals("namespaces") || g.resource().equals("leases"));
      RoleBinding binding = rendered.find(RoleBinding.class, ns, "apikey-operator").orElseThrow();
      assertThat(binding.getRoleRef().getName()).isEqualTo("apikey-operator");
      assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
        assertThat(s.getName()).isEqualTo("apikey-operator");
        assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
      });
    }
    // Cluster-wide rights shrink to the cluster-scoped objects.
    List<RbacRules.Grant> cluster = RbacRules.flatten(rendered.one(ClusterRole.class).getRules());
    assertThat(cluster).contains(
        new RbacRules.Grant("apikeyoperator.dev", "clusterapikeyproviders", "watch"),
        new RbacRules.Grant("", "namespaces", "list"));
    assertThat(cluster).noneMatch(g -> g.resource().equals("secrets") || g.resource().startsWith("apikeys")
        || g.resource().startsWith("apikeyproviders"));
    // ClusterApiKeyProvider credentials in the (unwatched) release namespace: get only.
    Role credentials = rendered.find(Role.class, Chart.NAMESPACE, "apikey-operator-credentials").orElseThrow();
    assertThat(RbacRules.flatten(credentials.getRules())).containsExactly(new RbacRules.Grant("", "secrets", "get"));
    assertThat(rendered.find(Role.class, Chart.NAMESPACE, "apikey-operator-leader-election")).isPresent();
    // The ledger seal key in the (unwatched) release namespace: read, or created on the first start.
    Role seal = rendered.find(Role.class, Chart.NAMESPACE, "apikey-operator-ledger-seal").orElseThrow();
    assertThat(RbacRules.flatten(seal.getRules())).containsExactlyInAnyOrder(new RbacRules.Grant("", "secrets", "get"),
        new RbacRules.Grant("", "secrets", "create"));
    assertThat(rendered.ofKind("Role")).hasSize(5);
    assertThat(rendered.ofKind("RoleBinding")).hasSize(5);
  }

  @Test
  void noCredentialsRoleWhenTheCredentialsNamespaceIsWatched() {
    Chart.Rendered rendered = Chart.render("watchNamespaces: [" + Chart.NAMESPACE + ", shop]\n");

    assertThat(rendered.find(Role.class, Chart.NAMESPACE, "apikey-operator-credentials")).isEmpty();
    assertThat(rendered.find(Role.class, Chart.NAMESPACE, "apikey-operator-ledger-seal")).as("watched").isEmpty();
    assertThat(rendered.find(Role.class, Chart.NAMESPACE, "apikey-operator")).isPresent();
    assertThat(rendered.find(Role.class, "shop", "apikey-operator")).isPresent();
  }

  @Test
  void credentialsNamespacesGetReadOnlySecretRoles() {
    Chart.Rendered rendered = Chart.render("watchNamespaces: [shop]\ncredentialsNamespaces: [vault, shop]\n");

    assertThat(rendered.find(Role.class, "vault", "apikey-operator-credentials")).isPresent();
    assertThat(rendered.find(Role.class, "shop", "apikey-operator-credentials")).as("shop is watched").isEmpty();
    assertThat(rendered.find(Role.class, Chart.NAMESPACE, "apikey-operator-credentials")).isEmpty();
  }

  @Test
  void leaderElectionDisabled() {
    Chart.Rendered rendered = Chart.render("leaderElection: {enabled: false}\n");
    Deployment deployment = rendered.one(Deployment.class);

    assertThat(env(container(deployment), "LEADER_ELECTION").getValue()).isEqualTo("false");
    assertThat(RbacRules.flatten(rendered.allRules())).noneMatch(g -> g.resource().equals("leases"));
    assertThat(rendered.ofKind("Role")).isEmpty();
    assertThat(rendered.ofKind("RoleBinding")).isEmpty();
    assertThat(deployment.getSpec().getStrategy().getType()).as("never two operators at once").isEqualTo("Recreate");
  }

  @Test
  void leaderElectionEnabledKeepsRollingUpdates() {
    assertThat(Chart.render("").one(Deployment.class).getSpec().getStrategy()).isNull();
  }

  @Test
  void logFormatJson() {
    Chart.Rendered rendered = Chart.render("logFormat: json\n");

    assertThat(env(container(rendered.one(Deployment.class)), "LOG_FORMAT").getValue()).isEqualTo("json");
  }

  @Test
  void metricsDisabled() {
    Chart.Rendered rendered = Chart.render("metrics: {enabled: false}\n");

    assertThat(rendered.all(Service.class)).isEmpty();
    assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();
    // The probes still need the port.
    assertThat(container(rendered.one(Deployment.class)).getPorts()).extracting(p -> p.getName()).containsExactly("http");
  }

  @Test
  @SuppressWarnings("unchecked")
  void serviceMonitorScrapesTheMetricsService() {
    Chart.Rendered rendered = Chart.render("metrics: {enabled: true, serviceMonitor: {enabled: true, labels: {release: kps}}}\n");

    List<HasMetadata> monitors = rendered.ofKind("ServiceMonitor");
    assertThat(monitors).singleElement().satisfies(m -> {
      assertThat(m.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
      assertThat(m.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
      assertThat(m.getMetadata().getLabels()).containsEntry("release", "kps");
    });
    GenericKubernetesResource monitor = (GenericKubernetesResource) monitors.get(0);
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    Service service = rendered.one(Service.class);
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints).singleElement().satisfies(e -> {
      assertThat(e).containsEntry("port", "http").containsEntry("path", "/metrics");
      assertThat(service.getSpec().getPorts()).extracting(p -> p.getName()).contains((String) e.get("port"));
    });
  }

  @Test
  void rolloutRestartAddsWorkloadPatchRights() {
    Chart.Rendered enabled = Chart.render("rolloutRestart: {enabled: true}\nconsumers: {enabled: false}\n");

    assertThat(RbacRules.flatten(enabled.one(ClusterRole.class).getRules())).contains(
        new RbacRules.Grant("apps", "deployments", "get"), PATCH_DEPLOYMENTS,
        new RbacRules.Grant("apps", "statefulsets", "get"), new RbacRules.Grant("apps", "statefulsets", "patch"),
        new RbacRules.Grant("apps", "daemonsets", "get"), new RbacRules.Grant("apps", "daemonsets", "patch"),
        new RbacRules.Grant("batch", "cronjobs", "get"), new RbacRules.Grant("batch", "cronjobs", "patch"));
    assertThat(RbacRules.flatten(enabled.allRules()))
        .filteredOn(g -> g.apiGroup().equals("apps") || g.apiGroup().equals("batch"))
        .extracting(RbacRules.Grant::verb).containsOnly("get", "patch");
  }

  @Test
  void consumersAreReadByDefaultAndNeverPatched() {
    Chart.Rendered rendered = Chart.render("");
    List<RbacRules.Grant> workloads = RbacRules.flatten(rendered.one(ClusterRole.class).getRules()).stream()
        .filter(g -> g.apiGroup().equals("apps") || g.apiGroup().equals("batch") || g.resource().equals("pods"))
        .toList();

    List<RbacRules.Grant> expected = new java.util.ArrayList<>();
    for (String verb : List.of("get", "list", "watch")) {
      for (String kind : List.of("deployments", "statefulsets", "daemonsets")) {
        expected.add(new RbacRules.Grant("apps", kind, verb));
      }
      expected.add(new RbacRules.Grant("batch", "cronjobs", verb));
      expected.add(new RbacRules.Grant("batch", "jobs", verb));
      expected.add(new RbacRules.Grant("", "pods", verb));
    }
    assertThat(workloads).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void consumersInWatchedNamespacesOnly() {
    Chart.Rendered rendered = Chart.render("watchNamespaces: [a]\n");
    RbacRules.Grant listPods = new RbacRules.Grant("", "pods", "list");

    assertThat(RbacRules.flatten(rendered.find(Role.class, "a", "apikey-operator").orElseThrow().getRules()))
        .contains(listPods);
    assertThat(RbacRules.flatten(rendered.one(ClusterRole.class).getRules())).doesNotContain(listPods);
  }

  @Test
  void rolloutRestartInWatchedNamespacesOnly() {
    Chart.Rendered rendered = Chart.render("rolloutRestart: {enabled: true}\nwatchNamespaces: [a]\n");

    assertThat(RbacRules.flatten(rendered.find(Role.class, "a", "apikey-operator").orElseThrow().getRules()))
        .contains(PATCH_DEPLOYMENTS);
    assertThat(RbacRules.flatten(rendered.one(ClusterRole.class).getRules())).doesNotContain(PATCH_DEPLOYMENTS);
  }

  @Test
  void noWorkloadRightsWithoutRolloutRestart() {
    Chart.Rendered rendered = Chart.render("rolloutRestart: {enabled: false}\nconsumers: {enabled: false}\n"
        + "watchNamespaces: [a]\n");

    assertThat(RbacRules.flatten(rendered.allRules())).noneMatch(g -> g.apiGroup().equals("apps")
        || g.apiGroup().equals("batch") || g.resource().equals("pods"));
  }

  @Test
  void schedulingExtraEnvReplicasAndResources() {
    Chart.Rendered rendered = Chart.render("""
        replicas: 2
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Equal, value: operators, effect: NoSchedule}]
        affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]}}}
        extraEnv:
          - {name: VENDOR_READ_TIMEOUT, value: 30s}
          - name: POD_NAME
            valueFrom: {fieldRef: {fieldPath: metadata.name}}
        resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {memory: 1Gi}}
        image: {tag: 1.2.3, pullPolicy: Always}
        jvmOptions: -XX:+UseG1GC
        """);
    Deployment deployment = rendered.one(Deployment.class);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = container(deployment);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("kubernetes.io/os", "linux"));
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
    assertThat(env(container, "VENDOR_READ_TIMEOUT").getValue()).isEqualTo("30s");
    assertThat(env(container, "POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(env(container, "JAVA_TOOL_OPTIONS").getValue()).isEqualTo("-XX:+UseG1GC");
    assertThat(env(container, "HTTP_PORT").getValue()).as("built-in env kept").isEqualTo("8080");
    assertThat(container.getResources().getLimits()).isEqualTo(Map.of("memory", new Quantity("1Gi")));
    assertThat(container.getImage()).isEqualTo("ghcr.io/apikey-operator/apikey-operator:1.2.3");
    assertThat(container.getImagePullPolicy()).isEqualTo("Always");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "watchNamespaces: [a, b]\n",
      "rolloutRestart: {enabled: true}\n",
      "rolloutRestart: {enabled: true}\nwatchNamespaces: [a]\ncredentialsNamespaces: [c]\n",
      "leaderElection: {enabled: false}\nmetrics: {enabled: false}\n",
  })
  void noRuleAnywhereUsesAWildcard(String values) {
    List<PolicyRule> rules = Chart.render(values).allRules();

    assertThat(rules).isNotEmpty().allSatisfy(RbacRules::assertNoWildcard);
  }
}
