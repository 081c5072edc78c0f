package dev.apikeyoperator.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;
import java.util.Map;

/**
 * Checks a manifest's {@code spec} against a CRD's structural OpenAPI schema the way the API server would for
 * the parts that matter to an example: unknown fields, required fields, types and enum values. (CEL
 * {@code x-kubernetes-validations} rules are not evaluated here; the operator's own validation reports those as
 * {@code InvalidSpec}.) The mock API server validates nothing, so without this a typo in an example would go
 * unnoticed by the sandbox.
 */
final class SchemaCheck {
  private SchemaCheck() {}

  static void validate(JSONSchemaProps schema, Object value, String path, List<String> errors) {
    if (schema == null || value == null) {
      return;
    }
    if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
      if (!(value instanceof String || value instanceof Number)) {
        errors.add(path + ": expected an integer or a string");
      }
      return;
    }
    String type = schema.getType();
    if ("object".equals(type) || (type == null && schema.getProperties() != null
        && !schema.getProperties().isEmpty())) {
      if (!(value instanceof Map<?, ?> map)) {
        errors.add(path + ": expected an object");
        return;
      }
      Map<String, JSONSchemaProps> props = schema.getProperties() == null ? Map.of() : schema.getProperties();
      if (schema.getRequired() != null) {
        for (String required : schema.getRequired()) {
          if (!map.containsKey(required)) {
            errors.add(path + "." + required + ": required");
          }
        }
      }
      JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null
          : schema.getAdditionalProperties().getSchema();
      boolean open = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())
          || (schema.getAdditionalProperties() != null && additional == null
              && Boolean.TRUE.equals(schema.getAdditionalProperties().getAllows()));
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String field = String.valueOf(e.getKey());
        if (props.containsKey(field)) {
          validate(props.get(field), e.getValue(), path + "." + field, errors);
        } else if (additional != null) {
          validate(additional, e.getValue(), path + "." + field, errors);
        } else if (!open) {
          errors.add(path + "." + field + ": unknown field (not in the CRD schema; known: " + props.keySet() + ")");
        }
      }
      return;
    }
    switch (type == null ? "" : type) {
      case "array" -> {
        if (!(value instanceof List<?> list)) {
          errors.add(path + ": expected a list");
          return;
        }
        JSONSchemaProps items = schema.getItems() == null ? null : schema.getItems().getSchema();
        for (int i = 0; i < list.size(); i++) {
          validate(items, list.get(i), path + "[" + i + "]", errors);
        }
      }
      case "string" -> {
        if (!(value instanceof String s)) {
          errors.add(path + ": expected a string");
          return;
        }
        List<JsonNode> allowed = schema.getEnum();
        if (allowed != null && !allowed.isEmpty() && allowed.stream().noneMatch(n -> n.asText().equals(s))) {
          errors.add(path + ": '" + s + "' is not one of " + allowed.stream().map(JsonNode::asText).toList());
        }
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          errors.add(path + ": expected true or false");
        }
      }
      case "integer" -> {
        if (!(value instanceof Integer || value instanceof Long)) {
          errors.add(path + ": expected an integer");
        }
      }
      case "number" -> {
        if (!(value instanceof Number)) {
          errors.add(path + ": expected a number");
        }
      }
      default -> { }
    }
  }
}
