package dev.apikeyoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What kubectl users see: explain texts, short names, categories, printer columns. */
class CrdShapeTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ApiKey", "ApiKeyProvider", "ClusterApiKeyProvider"})
  void everyPropertyHasADescription(String kind) {
    CustomResourceDefinition crd = CrdFiles.generated(kind);
    List<String> missing = new ArrayList<>();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      RuleWalk.walk(v.getSchema().getOpenAPIV3Schema(), "", (path, schema) -> {
        boolean isProperty = !path.isEmpty() && !path.endsWith("[]") && !path.endsWith("[*]");
        if (isProperty && (schema.getDescription() == null || schema.getDescription().isBlank())) {
          missing.add(v.getName() + " " + path);
        }
      });
    }
    assertThat(missing)
        .as("%s properties without a description (kubectl explain shows nothing for them):%n  %s",
            kind, String.join("\n  ", missing))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ApiKey", "ApiKeyProvider", "ClusterApiKeyProvider"})
  void isInCategoryApikeys(String kind) {
    assertThat(CrdFiles.generated(kind).getSpec().getNames().getCategories())
        .as("%s categories (kubectl get apikeys lists all three kinds)", kind)
        .contains("apikeys");
  }

  @Test
  void apiKeyHasShortNameAk() {
    assertThat(CrdFiles.generated("ApiKey").getSpec().getNames().getShortNames()).contains("ak");
  }

  @Test
  void scopes() {
    assertThat(CrdFiles.generated("ApiKey").getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(CrdFiles.generated("ApiKeyProvider").getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(CrdFiles.generated("ClusterApiKeyProvider").getSpec().getScope()).isEqualTo("Cluster");
  }

  @Test
  void apiKeyPrinterColumns() {
    for (CustomResourceDefinitionVersion v : CrdFiles.generated("ApiKey").getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> cols =
          v.getAdditionalPrinterColumns() == null ? List.of() : v.getAdditionalPrinterColumns();
      List<String> names = cols.stream().map(CustomResourceColumnDefinition::getName).collect(Collectors.toList());
      assertThat(names).as("ApiKey %s printer columns", v.getName()).contains("TYPE", "READY", "REASON", "SECRET", "AGE");
    }
  }
}
