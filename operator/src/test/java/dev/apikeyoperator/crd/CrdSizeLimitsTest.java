package dev.apikeyoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/reference/api.md: every string and list of the three kinds' specs has a maxLength / maxItems (maps: maxProperties), so
 * that one object cannot be made arbitrarily large, and CEL rules over them have a bounded cost.
 */
class CrdSizeLimitsTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ApiKey", "ApiKeyProvider", "ClusterApiKeyProvider"})
  void everyStringListAndMapOfTheSpecIsBounded(String kind) {
    List<String> unbounded = new ArrayList<>();
    for (CustomResourceDefinitionVersion v : CrdFiles.generated(kind).getSpec().getVersions()) {
      RuleWalk.walk(v.getSchema().getOpenAPIV3Schema().getProperties().get("spec"), "spec", (path, s) -> {
        boolean enumerated = s.getEnum() != null && !s.getEnum().isEmpty();
        if ("string".equals(s.getType()) && s.getMaxLength() == null && !enumerated) {
          unbounded.add(path + " (string without maxLength)");
        } else if ("array".equals(s.getType()) && s.getMaxItems() == null) {
          unbounded.add(path + " (array without maxItems)");
        } else if ("object".equals(s.getType()) && s.getAdditionalProperties() != null
            && s.getMaxProperties() == null) {
          unbounded.add(path + " (map without maxProperties)");
        }
      });
    }
    assertThat(unbounded).as("%s fields without a size limit", kind).isEmpty();
  }
}
