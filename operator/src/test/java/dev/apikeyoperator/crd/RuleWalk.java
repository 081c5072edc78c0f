package dev.apikeyoperator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.function.BiConsumer;

/** Walks an openAPIV3Schema: properties, items and additionalProperties, with a dotted path. */
final class RuleWalk {
  private RuleWalk() {}

  interface Visitor {
    void visit(String path, JSONSchemaProps schema);
  }

  static void walk(JSONSchemaProps schema, String path, Visitor visitor) {
    if (schema == null) {
      return;
    }
    visitor.visit(path, schema);
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, prop) -> walk(prop, path.isEmpty() ? name : path + "." + name, visitor));
    }
    if (schema.getItems() != null) {
      walk(schema.getItems().getSchema(), path + "[]", visitor);
    }
    if (schema.getAdditionalProperties() != null) {
      walk(schema.getAdditionalProperties().getSchema(), path + "[*]", visitor);
    }
  }

  /** Every x-kubernetes-validations rule with the path of the node it is attached to. */
  static void rules(JSONSchemaProps schema, String path, BiConsumer<String, ValidationRule> consumer) {
    walk(schema, path, (p, s) -> {
      if (s.getXKubernetesValidations() != null) {
        s.getXKubernetesValidations().forEach(r -> consumer.accept(p.isEmpty() ? "<root>" : p, r));
      }
    });
  }
}
