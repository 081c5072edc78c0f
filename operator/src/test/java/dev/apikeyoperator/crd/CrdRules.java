package dev.apikeyoperator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the API server would say about a manifest on create, without an API server: the CRD's
 * structural schema (type, enum, required, nullable, unknown fields, length/item bounds, pattern)
 * and its {@code x-kubernetes-validations} CEL rules, evaluated with dev.cel.
 *
 * <p>Kubernetes semantics followed: defaults are applied first; a rule runs only where its node is
 * present, with {@code self} bound to that node's value; object properties are CEL map entries,
 * their names escaped as Kubernetes does ({@code namespace} becomes {@code __namespace__},
 * {@code -} becomes {@code __dash__}, ...), while the keys of additionalProperties maps are not.
 * Transition rules (those using {@code oldSelf}) do not run on create and are skipped. Schema
 * features this class does not implement make it throw, rather than pass silently.
 */
final class CrdRules {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> CEL_RESERVED = Set.of(
      "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
      "import", "let", "loop", "package", "namespace", "return", "var", "void", "while");
  private static final Pattern ESCAPE_PARTS = Pattern.compile("__|\\.|-|/");
  private static final Pattern ESCAPABLE = Pattern.compile("^[a-zA-Z_.\\-/][a-zA-Z0-9_.\\-/]*$");

  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setOptions(CelOptions.current().build())
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addLibraries(CelExtensions.strings())
      .addVar("self", SimpleType.DYN)
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
      .setOptions(CelOptions.current().build())
      .addLibraries(CelExtensions.strings())
      .build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  /** What the API server says instead of evaluating the CEL rules of a structurally invalid object. */
  static final String BLOCKED = "<root>: some validation rules were not checked because the object was invalid;"
      + " correct the existing errors to complete validation";

  private final CustomResourceDefinition crd;
  private final String kind;
  private final Map<String, JSONSchemaProps> schemaByApiVersion = new LinkedHashMap<>();

  CrdRules(CustomResourceDefinition crd) {
    this.crd = crd;
    this.kind = crd.getSpec().getNames().getKind();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      if (Boolean.TRUE.equals(v.getServed())) {
        schemaByApiVersion.put(crd.getSpec().getGroup() + "/" + v.getName(), v.getSchema().getOpenAPIV3Schema());
      }
    }
  }

  static CrdRules load(Path crdFile) {
    return new CrdRules(CrdFiles.load(crdFile));
  }

  /** Rules of the generated CRD for {@code kind} (ApiKey, ApiKeyProvider, ClusterApiKeyProvider). */
  static CrdRules forKind(String kind) {
    return new CrdRules(CrdFiles.generated(kind));
  }

  String kind() {
    return kind;
  }

  CustomResourceDefinition crd() {
    return crd;
  }

  /** Every failure the API server would report for a create of {@code manifest}; empty when it is accepted. */
  List<String> validate(Map<String, Object> manifest) {
    List<String> failures = new ArrayList<>();
    if (!kind.equals(manifest.get("kind"))) {
      failures.add("kind: expected " + kind + ", got " + manifest.get("kind"));
      return failures;
    }
    JSONSchemaProps schema = schemaByApiVersion.get(String.valueOf(manifest.get("apiVersion")));
    if (schema == null) {
      failures.add("apiVersion: " + manifest.get("apiVersion") + " is not served; served: " + schemaByApiVersion.keySet());
      return failures;
    }
    Map<String, Object> body = new LinkedHashMap<>(manifest);
    // apiVersion, kind and metadata are validated by the API server itself, not by the CRD schema
    body.remove("apiVersion");
    body.remove("kind");
    body.remove("metadata");
    Object defaulted = applyDefaults(body, schema);
    boolean[] blocking = {false};
    check(defaulted, schema, "", failures, blocking);
    if (blocking[0]) {
      // apiextensions-apiserver (strategy.go hasBlockingErr): a type, required, enum, maxLength or
      // maxItems violation means the object lacks the shape the rules were written for
      failures.add(BLOCKED);
    } else {
      rules(defaulted, schema, "", failures);
    }
    return failures;
  }

  // ---------------------------------------------------------------- defaulting

  @SuppressWarnings("unchecked")
  private static Object applyDefaults(Object value, JSONSchemaProps schema) {
    if (schema == null) {
      return value;
    }
    if (value instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) value);
      if (schema.getProperties() != null) {
        schema.getProperties().forEach((name, prop) -> {
          if (!out.containsKey(name) && prop.getDefault() != null && !prop.getDefault().isNull()) {
            out.put(name, JSON.convertValue(prop.getDefault(), Object.class));
          }
        });
        for (Map.Entry<String, Object> e : out.entrySet()) {
          JSONSchemaProps prop = schema.getProperties().get(e.getKey());
          e.setValue(applyDefaults(e.getValue(), prop));
        }
      } else if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
        out.replaceAll((k, v) -> applyDefaults(v, schema.getAdditionalProperties().getSchema()));
      }
      return out;
    }
    if (value instanceof List && schema.getItems() != null && schema.getItems().getSchema() != null) {
      List<Object> out = new ArrayList<>();
      for (Object item : (List<Object>) value) {
        out.add(applyDefaults(item, schema.getItems().getSchema()));
      }
      return out;
    }
    return value;
  }

  // ---------------------------------------------------------------- structural schema

  @SuppressWarnings("unchecked")
  private void check(Object value, JSONSchemaProps schema, String path, List<String> failures, boolean[] blocking) {
    refuseUnsupported(schema, path);
    String at = path.isEmpty() ? "<root>" : path;
    if (value == null) {
      if (!Boolean.TRUE.equals(schema.getNullable())) {
        failures.add(at + ": must not be null");
        blocking[0] = true;
      }
      return;
    }
    if (!hasType(value, schema)) {
      failures.add(at + ": must be of type " + schema.getType() + ", got " + jsonType(value) + " (" + value + ")");
      blocking[0] = true;
      return;
    }
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
      JsonNode actual = JSON.valueToTree(value);
      boolean allowed = schema.getEnum().stream().anyMatch(e -> sameJson(e, actual));
      if (!allowed) {
        List<Object> supported = new ArrayList<>();
        schema.getEnum().forEach(e -> supported.add(JSON.convertValue(e, Object.class)));
        failures.add(at + ": Unsupported value: \"" + value + "\": supported values: " + supported);
        blocking[0] = true;
      }
    }
    if (value instanceof String) {
      String s = (String) value;
      int len = s.codePointCount(0, s.length());
      if (schema.getMinLength() != null && len < schema.getMinLength()) {
        failures.add(at + ": should be at least " + schema.getMinLength() + " chars long");
      }
      if (schema.getMaxLength() != null && len > schema.getMaxLength()) {
        failures.add(at + ": may not be more than " + schema.getMaxLength() + " bytes");
        blocking[0] = true;
      }
      if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(s).find()) {
        failures.add(at + ": should match '" + schema.getPattern() + "'");
      }
    }
    if (value instanceof Map) {
      Map<String, Object> map = (Map<String, Object>) value;
      if (schema.getMaxProperties() != null && map.size() > schema.getMaxProperties()) {
        failures.add(at + ": must have at most " + schema.getMaxProperties() + " properties");
      }
      if (schema.getRequired() != null) {
        for (String req : schema.getRequired()) {
          if (!map.containsKey(req)) {
            failures.add(join(path, req) + ": Required value");
            blocking[0] = true;
          }
        }
      }
      if (schema.getMaxProperties() != null && map.size() > schema.getMaxProperties()) {
        // field.TooMany, a blocking error like maxItems
        failures.add(at + ": must have at most " + schema.getMaxProperties() + " properties");
        blocking[0] = true;
      }
      JSONSchemaProps additional = schema.getAdditionalProperties() == null
          ? null : schema.getAdditionalProperties().getSchema();
      boolean preserveUnknown = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())
          || (schema.getAdditionalProperties() != null && Boolean.TRUE.equals(schema.getAdditionalProperties().getAllows()));
      for (Map.Entry<String, Object> e : map.entrySet()) {
        JSONSchemaProps prop = schema.getProperties() == null ? null : schema.getProperties().get(e.getKey());
        if (prop == null) {
          prop = additional;
        }
        if (prop != null) {
          check(e.getValue(), prop, join(path, e.getKey()), failures, blocking);
        } else if (!preserveUnknown) {
          // the API server prunes it (CEL never sees it); kubectl's default field validation (Strict) rejects it
          failures.add(join(path, e.getKey()) + ": unknown field \"" + e.getKey() + "\"");
        }
      }
    }
    if (value instanceof List) {
      List<Object> list = (List<Object>) value;
      if (schema.getMinItems() != null && list.size() < schema.getMinItems()) {
        failures.add(at + ": should have at least " + schema.getMinItems() + " items");
      }
      if (schema.getMaxItems() != null && list.size() > schema.getMaxItems()) {
        failures.add(at + ": must have at most " + schema.getMaxItems() + " items");
        blocking[0] = true;
      }
      if (schema.getItems() != null && schema.getItems().getSchema() != null) {
        for (int i = 0; i < list.size(); i++) {
          check(list.get(i), schema.getItems().getSchema(), path + "[" + i + "]", failures, blocking);
        }
      }
    }
  }

  /** Runs the rules of every node present in the (structurally valid) value. */
  @SuppressWarnings("unchecked")
  private void rules(Object value, JSONSchemaProps schema, String path, List<String> failures) {
    if (value == null || schema == null) {
      return;
    }
    if (value instanceof Map) {
      JSONSchemaProps additional = schema.getAdditionalProperties() == null
          ? null : schema.getAdditionalProperties().getSchema();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
        JSONSchemaProps prop = schema.getProperties() == null ? null : schema.getProperties().get(e.getKey());
        rules(e.getValue(), prop != null ? prop : additional, join(path, e.getKey()), failures);
      }
    }
    if (value instanceof List && schema.getItems() != null) {
      List<Object> list = (List<Object>) value;
      for (int i = 0; i < list.size(); i++) {
        rules(list.get(i), schema.getItems().getSchema(), path + "[" + i + "]", failures);
      }
    }
    evaluateRules(value, schema, path.isEmpty() ? "<root>" : path, failures);
  }

  private static void refuseUnsupported(JSONSchemaProps s, String path) {
    List<String> unsupported = new ArrayList<>();
    if (s.getAllOf() != null && !s.getAllOf().isEmpty()) unsupported.add("allOf");
    if (s.getAnyOf() != null && !s.getAnyOf().isEmpty()) unsupported.add("anyOf");
    if (s.getOneOf() != null && !s.getOneOf().isEmpty()) unsupported.add("oneOf");
    if (s.getNot() != null) unsupported.add("not");
    if (s.getMinimum() != null || s.getMaximum() != null || s.getMultipleOf() != null) unsupported.add("minimum/maximum/multipleOf");
    if (s.getMinProperties() != null) unsupported.add("minProperties");
    if (Boolean.TRUE.equals(s.getUniqueItems())) unsupported.add("uniqueItems");
    if (s.getXKubernetesListType() != null && !"atomic".equals(s.getXKubernetesListType())) unsupported.add("x-kubernetes-list-type");
    if (s.getFormat() != null) unsupported.add("format");
    if (!unsupported.isEmpty()) {
      throw new UnsupportedOperationException("CrdRules does not check " + unsupported + " (at "
          + (path.isEmpty() ? "<root>" : path) + "): extend it before relying on it");
    }
  }

  private static boolean hasType(Object v, JSONSchemaProps s) {
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      return v instanceof String || isInteger(v);
    }
    String type = s.getType();
    if (type == null) {
      return true;
    }
    switch (type) {
      case "object": return v instanceof Map;
      case "array": return v instanceof List;
      case "string": return v instanceof String;
      case "boolean": return v instanceof Boolean;
      case "integer": return isInteger(v);
      case "number": return v instanceof Number;
      default: throw new UnsupportedOperationException("unknown schema type " + type);
    }
  }

  private static boolean isInteger(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof BigInteger;
  }

  private static String jsonType(Object v) {
    if (v instanceof Map) return "object";
    if (v instanceof List) return "array";
    if (v instanceof String) return "string";
    if (v instanceof Boolean) return "boolean";
    if (isInteger(v)) return "integer";
    if (v instanceof Number) return "number";
    return v.getClass().getSimpleName();
  }

  private static boolean sameJson(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  // ---------------------------------------------------------------- CEL

  private void evaluateRules(Object value, JSONSchemaProps schema, String at, List<String> failures) {
    List<ValidationRule> rules = schema.getXKubernetesValidations();
    if (rules == null || rules.isEmpty()) {
      return;
    }
    Object self = toCel(value, schema);
    for (ValidationRule rule : rules) {
      if (rule.getRule().contains("oldSelf")) {
        continue; // transition rule: not evaluated on create
      }
      if (rule.getMessageExpression() != null) {
        throw new UnsupportedOperationException("CrdRules does not evaluate messageExpression (at " + at + ")");
      }
      String message = rule.getMessage() == null || rule.getMessage().isEmpty()
          ? "failed rule: " + rule.getRule() : rule.getMessage();
      Object result;
      try {
        result = program(rule.getRule()).eval(Map.of("self", self));
      } catch (CelEvaluationException e) {
        failures.add(at + ": rule `" + rule.getRule() + "` could not be evaluated: " + e.getMessage());
        continue;
      }
      if (!Boolean.TRUE.equals(result)) {
        if (!(result instanceof Boolean)) {
          failures.add(at + ": rule `" + rule.getRule() + "` returned " + result + ", not a bool");
        } else {
          failures.add(at + ": " + message);
        }
      }
    }
  }

  private static CelRuntime.Program program(String rule) {
    return PROGRAMS.computeIfAbsent(rule, r -> {
      try {
        CelAbstractSyntaxTree ast = COMPILER.compile(r).getAst();
        return RUNTIME.createProgram(ast);
      } catch (CelValidationException | CelEvaluationException e) {
        throw new IllegalStateException("CEL rule does not compile: " + r + "\n" + e.getMessage(), e);
      }
    });
  }

  /**
   * The value as the API server hands it to CEL: objects with declared properties become maps whose
   * keys are escaped property names, additionalProperties maps keep their keys, integers are int64.
   */
  @SuppressWarnings("unchecked")
  static Object toCel(Object value, JSONSchemaProps schema) {
    if (value instanceof Map) {
      Map<String, Object> in = (Map<String, Object>) value;
      Map<String, Object> out = new LinkedHashMap<>();
      boolean declared = schema != null && schema.getProperties() != null && !schema.getProperties().isEmpty();
      JSONSchemaProps additional = schema == null || schema.getAdditionalProperties() == null
          ? null : schema.getAdditionalProperties().getSchema();
      for (Map.Entry<String, Object> e : in.entrySet()) {
        if (e.getValue() == null) {
          continue;
        }
        JSONSchemaProps prop = declared ? schema.getProperties().get(e.getKey()) : null;
        if (prop != null) {
          String escaped = escape(e.getKey());
          if (escaped != null) {
            out.put(escaped, toCel(e.getValue(), prop));
          }
        } else if (!declared) {
          out.put(e.getKey(), toCel(e.getValue(), additional));
        }
      }
      return out;
    }
    if (value instanceof List) {
      JSONSchemaProps items = schema == null || schema.getItems() == null ? null : schema.getItems().getSchema();
      List<Object> out = new ArrayList<>();
      for (Object item : (List<Object>) value) {
        out.add(toCel(item, items));
      }
      return out;
    }
    if (isInteger(value)) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float || value instanceof Double || value instanceof java.math.BigDecimal) {
      return ((Number) value).doubleValue();
    }
    return value;
  }

  /** Kubernetes' escaping of property names in CEL (k8s.io/apiserver/pkg/cel Escape); null: not accessible. */
  static String escape(String name) {
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      return null;
    }
    if (CEL_RESERVED.contains(name)) {
      return "__" + name + "__";
    }
    Matcher m = ESCAPE_PARTS.matcher(name);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String rep;
      switch (m.group()) {
        case "__": rep = "__underscores__"; break;
        case ".": rep = "__dot__"; break;
        case "-": rep = "__dash__"; break;
        default: rep = "__slash__"; break;
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(rep));
    }
    m.appendTail(sb);
    String escaped = sb.toString();
    return ESCAPABLE.matcher(name).matches() ? escaped : null;
  }
}
