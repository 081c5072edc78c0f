package dev.apikeyoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluator itself: Kubernetes semantics it must follow, and that it can fail. */
class CrdRulesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A tiny CRD whose schema exercises the evaluator; {@code spec} is spliced in. */
  private static CrdRules crd(String specSchema) {
    String indented = specSchema.strip().indent(14);
    String yaml = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: { name: widgets.test.dev }
        spec:
          group: test.dev
          names: { kind: Widget, plural: widgets }
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
        """ + indented;
    return new CrdRules(Serialization.unmarshal(yaml, CustomResourceDefinition.class));
  }

  private static Map<String, Object> widget(String spec) {
    try {
      return YAML.readValue("apiVersion: test.dev/v1\nkind: Widget\nmetadata: { name: w }\nspec: " + spec,
          new TypeReference<Map<String, Object>>() {});
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void escapesPropertyNamesLikeKubernetes() {
    assertThat(CrdRules.escape("namespace")).isEqualTo("__namespace__");
    assertThat(CrdRules.escape("if")).isEqualTo("__if__");
    assertThat(CrdRules.escape("name")).isEqualTo("name");
    assertThat(CrdRules.escape("x-y")).isEqualTo("x__dash__y");
    assertThat(CrdRules.escape("a.b/c")).isEqualTo("a__dot__b__slash__c");
    assertThat(CrdRules.escape("a__b")).isEqualTo("a__underscores__b");
    assertThat(CrdRules.escape("1st")).isNull();
    assertThat(CrdRules.escape("a b")).isNull();
  }

  @Test
  void namespacePropertyIsReachedAsUnderscoreNamespace() {
    CrdRules r = crd("""
        type: object
        properties:
          ref:
            type: object
            properties:
              namespace: { type: string }
            x-kubernetes-validations:
            - { rule: "has(self.__namespace__) && self.__namespace__ == 'ops'", message: "namespace must be ops" }
        """);
    assertThat(r.validate(widget("{ ref: { namespace: ops } }"))).isEmpty();
    assertThat(r.validate(widget("{ ref: { namespace: dev } }"))).containsExactly("spec.ref: namespace must be ops");
    assertThat(r.validate(widget("{ ref: {} }"))).containsExactly("spec.ref: namespace must be ops");
  }

  @Test
  void namespaceEscapingWorksOnTheRealProviderCrds() {
    String secretRef = "{ fme: { credentials: { secretRef: { name: s, namespace: ops } } } }";
    String noNamespace = "{ fme: { credentials: { secretRef: { name: s } } } }";
    CrdRules ns = CrdRules.forKind("ApiKeyProvider");
    CrdRules cluster = CrdRules.forKind("ClusterApiKeyProvider");
    assertThat(ns.validate(manifest("ApiKeyProvider", secretRef))).singleElement().asString()
        .contains("reads its credentials Secret from its own namespace");
    assertThat(ns.validate(manifest("ApiKeyProvider", noNamespace))).isEmpty();
    assertThat(cluster.validate(manifest("ClusterApiKeyProvider", secretRef))).isEmpty();
    assertThat(cluster.validate(manifest("ClusterApiKeyProvider", noNamespace))).singleElement().asString()
        .contains("needs credentials.secretRef.namespace");
  }

  private static Map<String, Object> manifest(String kind, String spec) {
    try {
      return YAML.readValue("apiVersion: apikeyoperator.dev/v1alpha1\nkind: " + kind + "\nmetadata: { name: p }\nspec: " + spec,
          new TypeReference<Map<String, Object>>() {});
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void mapKeysOfAdditionalPropertiesAreNotEscaped() {
    CrdRules r = crd("""
        type: object
        properties:
          labels:
            type: object
            additionalProperties: { type: string }
            x-kubernetes-validations:
            - { rule: "'namespace' in self && self['app.kubernetes.io/name'] == 'w'", message: "labels" }
        """);
    assertThat(r.validate(widget("{ labels: { namespace: a, app.kubernetes.io/name: w } }"))).isEmpty();
    assertThat(r.validate(widget("{ labels: { app.kubernetes.io/name: w } }"))).containsExactly("spec.labels: labels");
  }

  @Test
  void ruleRunsOnlyWhereItsNodeIsPresent() {
    CrdRules r = crd("""
        type: object
        properties:
          opt:
            type: object
            properties: { a: { type: string } }
            x-kubernetes-validations: [ { rule: "false", message: "opt is never allowed" } ]
        """);
    assertThat(r.validate(widget("{}"))).isEmpty();
    assertThat(r.validate(widget("{ opt: {} }"))).containsExactly("spec.opt: opt is never allowed");
  }

  @Test
  void rulesOnListItemsRunPerItemWithTheirIndex() {
    CrdRules r = crd("""
        type: object
        properties:
          items:
            type: array
            items:
              type: object
              properties: { n: { type: integer } }
              x-kubernetes-validations: [ { rule: "self.n > 2", message: "n must exceed 2" } ]
        """);
    assertThat(r.validate(widget("{ items: [ { n: 3 }, { n: 1 }, { n: 7 } ] }")))
        .containsExactly("spec.items[1]: n must exceed 2");
  }

  @Test
  void defaultsAreAppliedBeforeRules() {
    CrdRules r = crd("""
        type: object
        properties:
          mode: { type: string, default: auto }
        x-kubernetes-validations: [ { rule: "self.mode == 'auto'", message: "mode must be auto" } ]
        """);
    assertThat(r.validate(widget("{}"))).isEmpty();
    assertThat(r.validate(widget("{ mode: manual }"))).containsExactly("spec: mode must be auto");
  }

  @Test
  void ruleWithoutMessageReportsTheRule() {
    CrdRules r = crd("""
        type: object
        properties: { a: { type: string } }
        x-kubernetes-validations: [ { rule: "has(self.a)" } ]
        """);
    assertThat(r.validate(widget("{}"))).containsExactly("spec: failed rule: has(self.a)");
  }

  @Test
  void evaluationErrorIsAFailure() {
    CrdRules r = crd("""
        type: object
        properties: { a: { type: string } }
        x-kubernetes-validations: [ { rule: "self.a == 'x'", message: "a must be x" } ]
        """);
    assertThat(r.validate(widget("{}"))).singleElement().asString().contains("could not be evaluated");
  }

  @Test
  void structuralErrorsBlockCelLikeTheApiServer() {
    CrdRules r = crd("""
        type: object
        required: [ a ]
        properties: { a: { type: string, enum: [ x, y ] }, b: { type: integer } }
        x-kubernetes-validations: [ { rule: "false", message: "never" } ]
        """);
    assertThat(r.validate(widget("{ a: z }")))
        .containsExactly("spec.a: Unsupported value: \"z\": supported values: [x, y]", CrdRules.BLOCKED);
    assertThat(r.validate(widget("{ b: 1 }"))).containsExactly("spec.a: Required value", CrdRules.BLOCKED);
    assertThat(r.validate(widget("{ a: x, b: two }")))
        .containsExactly("spec.b: must be of type integer, got string (two)", CrdRules.BLOCKED);
    assertThat(r.validate(widget("{ a: x }"))).containsExactly("spec: never");
  }

  @Test
  void unknownFieldsAreReportedAndNotSeenByCel() {
    CrdRules r = crd("""
        type: object
        properties: { a: { type: string } }
        x-kubernetes-validations: [ { rule: "!has(self.typo)", message: "CEL saw a pruned field" } ]
        """);
    assertThat(r.validate(widget("{ typo: 1 }"))).containsExactly("spec.typo: unknown field \"typo\"");
  }

  @Test
  void transitionRulesAreSkippedOnCreate() {
    CrdRules r = crd("""
        type: object
        properties: { a: { type: string } }
        x-kubernetes-validations: [ { rule: "self.a == oldSelf.a", message: "immutable" } ]
        """);
    assertThat(r.validate(widget("{ a: x }"))).isEmpty();
  }

  @Test
  void unsupportedSchemaKeywordsAreRefusedNotIgnored() {
    CrdRules r = crd("""
        type: object
        properties: { at: { type: string, format: date-time } }
        """);
    assertThatThrownBy(() -> r.validate(widget("{ at: yesterday }")))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("format");
  }

  @Test
  void wrongKindOrVersionIsRefused() {
    CrdRules r = crd("type: object");
    Map<String, Object> m = widget("{}");
    m.put("apiVersion", "test.dev/v2");
    assertThat(r.validate(m)).singleElement().asString().contains("is not served");
    m.put("kind", "Gadget");
    assertThat(r.validate(m)).singleElement().asString().contains("expected Widget");
  }

  @Test
  void integersReachCelAsInt64() {
    assertThat(CrdRules.toCel(List.of(1, 2), null)).isEqualTo(List.of(1L, 2L));
  }
}
