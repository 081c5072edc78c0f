package dev.apikeyoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code helm template} with the chart's default values. */
class DefaultValuesRenderTest {
  private static Chart.Rendered rendered;

  @BeforeAll
  static void render() {
    rendered = Chart.render("");
  }

  @Test
  void rendersExactlyTheExpectedObjects() {
    assertThat(rendered.objects()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ServiceAccount/apikey-operator",
            "ClusterRole/apikey-operator",
            "ClusterRoleBinding/apikey-operator",
            "Role/apikey-operator-leader-election",
            "RoleBinding/apikey-operator-leader-election",
            "Deployment/apikey-operator",
            "Service/apikey-operator-metrics");
    assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();
  }

  @Test
  void everyObjectCarriesTheStandardLabels() {
    for (HasMetadata object : rendered.objects()) {
      assertThat(object.getMetadata().getLabels()).as(object.getKind()).containsAllEntriesOf(Map.of(
          "app.kubernetes.io/name", "apikey-operator",
          "app.kubernetes.io/instance", Chart.RELEASE,
          "app.kubernetes.io/version", "0.1.0",
          "app.kubernetes.io/managed-by", "Helm"));
    }
  }

  @Test
  void namespacedObjectsLiveInTheReleaseNamespace() {
    rendered.objects().stream()
        .filter(o -> !(o instanceof ClusterRole) && !(o instanceof ClusterRoleBinding))
        .forEach(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo(Chart.NAMESPACE));
  }

  @Test
  void deploymentRunsOneReplicaOfTheAppVersionImage() {
    Deployment deployment = rendered.one(Deployment.class);
    Container container = container(deployment);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(container.getImage()).isEqualTo("ghcr.io/apikey-operator/apikey-operator:0.1.0");
    assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(rendered.one(ServiceAccount.class).getMetadata().getName());
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "apikey-operator", "app.kubernetes.io/instance", Chart.RELEASE));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void deploymentSetsTheOperatorsEnvironment() {
    Container container = container(rendered.one(Deployment.class));

    assertThat(env(container, "WATCH_NAMESPACES").getValue()).isEmpty();
    assertThat(env(container, "OPERATOR_NAMESPACE").getValue()).isNull();
    assertThat(env(container, "OPERATOR_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env(container, "LOG_FORMAT").getValue()).isEqualTo("text");
    assertThat(env(container, "HTTP_PORT").getValue()).isEqualTo("8080");
    assertThat(env(container, "LEADER_ELECTION").getValue()).isEqualTo("true");
    assertThat(env(container, "JAVA_TOOL_OPTIONS").getValue())
        .isEqualTo("-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:MaxRAMPercentage=75 "
            + "-XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10 -XX:-ShrinkHeapInSteps -XX:NewRatio=4 -XX:+ExitOnOutOfMemoryError "
            + "-XX:SharedArchiveFile=/app/apikey-operator.jsa -Xshare:auto");
    assertThat(container.getEnv()).extracting(EnvVar::getName).doesNotHaveDuplicates();
  }

  @Test
  void deploymentProbesHealthAndReadinessOnTheHttpPort() {
    Container container = container(rendered.one(Deployment.class));

    assertThat(container.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getContainerPort()).isEqualTo(8080);
    });
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
  }

  @Test
  void deploymentIsLockedDown() {
    Deployment deployment = rendered.one(Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = container(deployment);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var security = container.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(65532L);
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);

    assertThat(container.getVolumeMounts()).singleElement().satisfies(m -> {
      assertThat(m.getMountPath()).isEqualTo("/tmp");
      assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(m.getName()))
          .singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    });
  }

  @Test
  void deploymentHasDefaultResourcesAndNoScheduling() {
    Deployment deployment = rendered.one(Deployment.class);
    var resources = container(deployment).getResources();

    assertThat(resources.getRequests()).isEqualTo(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")));
    assertThat(resources.getLimits()).isEqualTo(Map.of("memory", new Quantity("512Mi")));
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).isNullOrEmpty();
    assertThat(pod.getTolerations()).isNullOrEmpty();
    assertThat(pod.getAffinity()).isNull();
  }

  @Test
  void metricsServiceSelectsTheOperatorPodOnPortHttp() {
    Service service = rendered.one(Service.class);
    Deployment deployment = rendered.one(Deployment.class);

    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getPort()).isEqualTo(8080);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
    });
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
  }

  @Test
  void clusterRoleGrantsExactlyWhatTheOperatorNeeds() {
    ClusterRole role = rendered.one(ClusterRole.class);

    assertThat(RbacRules.flatten(role.getRules())).containsExactlyInAnyOrderElementsOf(RbacRules.flatten(List.of(
        RbacRules.rule("apikeyoperator.dev", List.of("apikeys", "apikeyproviders", "clusterapikeyproviders"),
            "get", "list", "watch", "update", "patch"),
        RbacRules.rule("apikeyoperator.dev",
            List.of("apikeys/status", "apikeyproviders/status", "clusterapikeyproviders/status"),
            "get", "update", "patch"),
        RbacRules.rule("apikeyoperator.dev",
            List.of("apikeys/finalizers", "apikeyproviders/finalizers", "clusterapikeyproviders/finalizers"),
            "update"),
        RbacRules.rule("", List.of("secrets"), "get", "list", "watch", "create", "update", "patch", "delete"),
        RbacRules.rule("", List.of("events"), "create", "patch"),
        RbacRules.rule("", List.of("namespaces"), "get", "list", "watch"),
        RbacRules.rule("apps", List.of("deployments", "statefulsets", "daemonsets"), "get", "list", "watch"),
        RbacRules.rule("batch", List.of("cronjobs", "jobs"), "get", "list", "watch"),
        RbacRules.rule("", List.of("pods"), "get", "list", "watch"))));
  }

  @Test
  void clusterRoleGrantsNoWorkloadWriteRightsByDefault() {
    assertThat(RbacRules.flatten(rendered.allRules())).filteredOn(g -> g.apiGroup().equals("apps")
        || g.apiGroup().equals("batch") || g.resource().equals("pods")).extracting(RbacRules.Grant::verb)
        .containsOnly("get", "list", "watch");
  }

  @Test
  void bindingsGiveTheRolesToTheOperatorsServiceAccount() {
    ClusterRoleBinding clusterBinding = rendered.one(ClusterRoleBinding.class);
    assertThat(clusterBinding.getRoleRef().getName()).isEqualTo(rendered.one(ClusterRole.class).getMetadata().getName());
    assertThat(clusterBinding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo("apikey-operator");
      assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
    });
    RoleBinding binding = rendered.one(RoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(rendered.one(Role.class).getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("apikey-operator"));
  }

  @Test
  void leaderElectionRoleGrantsOnlyLeasesInTheReleaseNamespace() {
    Role role = rendered.one(Role.class);

    assertThat(role.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(RbacRules.flatten(role.getRules())).containsExactlyInAnyOrderElementsOf(RbacRules.flatten(List.of(
        RbacRules.rule("coordination.k8s.io", List.of("leases"), "get", "create", "update"))));
  }

  @Test
  void noRuleUsesAWildcard() {
    assertThat(rendered.allRules()).isNotEmpty().allSatisfy(RbacRules::assertNoWildcard);
  }

  static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  static EnvVar env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name + " in " + container.getEnv()));
  }

}
