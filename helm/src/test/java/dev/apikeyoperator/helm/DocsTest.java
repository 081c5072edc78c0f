package dev.apikeyoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The docs show what the chart and the health check really do. */
class DocsTest {
  private static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();
  private static final String HEALTH_KEY = "resource.customizations.health.apikeyoperator.dev_ApiKey";
  private static final ObjectMapper YAML = new YAMLMapper();

  @Test
  void gitopsLuaBlockIsTheTestedScript() throws IOException {
    List<String> lua = fencedBlocks(read("guides/gitops.md"), "lua");

    assertThat(lua).hasSize(1);
    assertThat(lua.get(0)).as("the ```lua block of docs/guides/gitops.md must equal docs/guides/argocd/apikey-health.lua")
        .isEqualTo(Files.readString(ArgoCdHealthCheckTest.SCRIPT));
  }

  @Test
  void gitopsArgoCdConfigMapHoldsTheTestedScript() throws IOException {
    JsonNode configMap = yamlDocuments(read("guides/gitops.md")).stream()
        .filter(d -> d.path("kind").asText().equals("ConfigMap") && d.path("metadata").path("name").asText().equals("argocd-cm"))
        .findFirst().orElseThrow(() -> new AssertionError("no argocd-cm ConfigMap in docs/guides/gitops.md"));

    assertThat(configMap.path("data").path(HEALTH_KEY).asText())
        .isEqualTo(Files.readString(ArgoCdHealthCheckTest.SCRIPT));
  }

  @Test
  void gitopsShowsAnArgoCdApplicationAndAFluxKustomization() throws IOException {
    List<JsonNode> documents = yamlDocuments(read("guides/gitops.md"));

    assertThat(documents).anySatisfy(d -> {
      assertThat(d.path("apiVersion").asText()).isEqualTo("argoproj.io/v1alpha1");
      assertThat(d.path("kind").asText()).isEqualTo("Application");
      assertThat(d.path("spec").path("source").path("path").asText()).isEqualTo("helm/apikey-operator");
    });
    assertThat(documents).anySatisfy(d -> {
      assertThat(d.path("apiVersion").asText()).isEqualTo("kustomize.toolkit.fluxcd.io/v1");
      assertThat(d.path("kind").asText()).isEqualTo("Kustomization");
    });
  }

  @Test
  void rbacDocShowsTheClusterRoleTheChartRenders() throws IOException {
    ClusterRole documented = yamlDocuments(read("operations/rbac.md")).stream()
        .filter(d -> d.path("kind").asText().equals("ClusterRole"))
        .map(d -> Serialization.unmarshal(d.toString(), ClusterRole.class))
        .findFirst().orElseThrow();
    ClusterRole rendered = Chart.render("").one(ClusterRole.class);

    assertThat(RbacRules.flatten(documented.getRules()))
        .containsExactlyInAnyOrderElementsOf(RbacRules.flatten(rendered.getRules()));
  }

  @Test
  void rbacDocShowsTheLeaderElectionRoleTheChartRenders() throws IOException {
    Role documented = roles(read("operations/rbac.md")).stream()
        .filter(r -> r.getMetadata().getName().endsWith("leader-election")).findFirst().orElseThrow();
    Role rendered = Chart.render("").one(Role.class);

    assertThat(RbacRules.flatten(documented.getRules()))
        .containsExactlyInAnyOrderElementsOf(RbacRules.flatten(rendered.getRules()));
  }

  @Test
  void rbacDocWorkloadRulesAreTheOnesRolloutRestartAdds() throws IOException {
    String doc = read("operations/rbac.md");
    List<PolicyRule> documented = fencedBlocks(doc, "yaml").stream()
        .filter(b -> b.contains("\"patch\"") && b.contains("\"apps\"") && !b.contains("kind:"))
        .map(b -> Serialization.unmarshal(b.replaceAll("(?m)^  ", ""), PolicyRule[].class))
        .findFirst().map(List::of).orElseThrow();
    List<PolicyRule> rendered = Chart.render("rolloutRestart: {enabled: true}\nconsumers: {enabled: false}\n")
        .one(ClusterRole.class).getRules().stream()
        .filter(r -> r.getApiGroups().contains("apps") || r.getApiGroups().contains("batch")).toList();

    assertThat(RbacRules.flatten(documented)).containsExactlyInAnyOrderElementsOf(RbacRules.flatten(rendered));
  }

  @Test
  void sampleTenantRoleGrantsApiKeysOnly() throws IOException {
    List<Role> tenantRoles = roles(read("operations/rbac.md")).stream()
        .filter(r -> !r.getMetadata().getName().endsWith("leader-election")).toList();

    assertThat(tenantRoles).isNotEmpty();
    for (Role role : tenantRoles) {
      assertThat(role.getRules()).allSatisfy(RbacRules::assertNoWildcard);
      assertThat(RbacRules.flatten(role.getRules())).allSatisfy(g -> {
        assertThat(g.apiGroup()).isEqualTo("apikeyoperator.dev");
        assertThat(g.resource()).isEqualTo("apikeys");
      });
    }
  }

  private static List<Role> roles(String markdown) {
    return yamlDocuments(markdown).stream().filter(d -> d.path("kind").asText().equals("Role"))
        .map(d -> Serialization.unmarshal(d.toString(), Role.class)).toList();
  }

  private static String read(String name) throws IOException {
    return Files.readString(DOCS.resolve(name));
  }

  /** The contents of every fenced block of the given language, each ending with its last newline. */
  static List<String> fencedBlocks(String markdown, String language) {
    Matcher m = Pattern.compile("(?ms)^```" + Pattern.quote(language) + "\\n(.*?)^```\\s*$").matcher(markdown);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** Every YAML document of every ```yaml block that is a whole object (has a kind); all blocks must parse. */
  static List<JsonNode> yamlDocuments(String markdown) {
    List<JsonNode> documents = new ArrayList<>();
    for (String block : fencedBlocks(markdown, "yaml")) {
      try (var parser = new YAMLFactory().createParser(block)) {
        for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
          if (node != null && node.has("kind")) {
            documents.add(node);
          }
        }
      } catch (IOException e) {
        throw new AssertionError("a ```yaml block does not parse: " + e.getMessage() + "\n" + block, e);
      }
    }
    return documents;
  }
}
