package dev.apikeyoperator.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.apikeyoperator.ApiKeyOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Writes docs/reference/api.md from the committed CRDs (crds/*.yml) and docs/reference/settings.md from the operator's
 * picocli command line. ReferenceDocsTest fails when the committed pages differ; regenerate with {@link #UPDATE}.
 */
public final class ReferenceDocs {
  public static final String UPDATE = "mvn -B -q -pl operator -am test -Dtest=ReferenceDocsTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Ddocs.update=true";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<String> KIND_ORDER = List.of("ApiKey", "ApiKeyProvider", "ClusterApiKeyProvider");
  private static final Pattern ENV_DEFAULT = Pattern.compile("^\\$\\{env:([A-Z0-9_]+):-(.*)}$");

  private ReferenceDocs() {}

  /** The repository root (the parent of crds/). */
  public static Path repoRoot() {
    return Paths.get(System.getProperty("crds.dir", "../crds")).toAbsolutePath().normalize().getParent();
  }

  public static void main(String[] args) throws IOException {
    Path root = args.length > 0 ? Paths.get(args[0]) : repoRoot();
    Files.writeString(root.resolve("docs/reference/api.md"), api(root));
    Files.writeString(root.resolve("docs/reference/settings.md"), settings());
  }

  // ------------------------------------------------------------------ the API, from the CRDs

  public static String api(Path root) throws IOException {
    List<JsonNode> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(root.resolve("crds"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        crds.add(YAML.readTree(f.toFile()));
      }
    }
    crds.sort((a, b) -> Integer.compare(KIND_ORDER.indexOf(kind(a)), KIND_ORDER.indexOf(kind(b))));
    StringBuilder md = new StringBuilder();
    md.append("# API reference\n\n")
        .append("<!-- Generated from crds/*.yml by operator/src/test/java/dev/apikeyoperator/docs/ReferenceDocs.java. "
            + "Do not edit by hand: regenerate with\n     ").append(UPDATE).append(" -->\n\n")
        .append("Every field of the three kinds, as the CRDs in `crds/` define them (the API server enforces the ")
        .append("types, defaults and limits below; the operator refuses the same limits itself with `InvalidSpec`). ")
        .append("This page is generated from the CRDs and checked in CI. What the fields do, with examples: ")
        .append("[ApiKey](../concepts/apikey.md), [providers and policy](../concepts/providers-and-policy.md).\n\n");
    for (JsonNode crd : crds) {
      md.append("- [").append(kind(crd)).append("](#").append(kind(crd).toLowerCase()).append(")\n");
    }
    md.append('\n');
    for (JsonNode crd : crds) {
      JsonNode spec = crd.path("spec");
      JsonNode names = spec.path("names");
      md.append("## ").append(kind(crd)).append("\n\n");
      for (JsonNode version : spec.path("versions")) {
        md.append("| | |\n|---|---|\n")
            .append("| apiVersion | `").append(spec.path("group").asText()).append('/').append(version.path("name").asText())
            .append("` |\n")
            .append("| scope | ").append(spec.path("scope").asText()).append(" |\n")
            .append("| plural | `").append(names.path("plural").asText()).append("` |\n");
        if (names.has("shortNames")) {
          md.append("| short names | ").append(codes(names.path("shortNames"))).append(" |\n");
        }
        if (names.has("categories")) {
          md.append("| categories | ").append(codes(names.path("categories"))).append(" |\n");
        }
        if (version.has("additionalPrinterColumns")) {
          List<String> cols = new ArrayList<>();
          version.path("additionalPrinterColumns").forEach(c -> cols.add("`" + c.path("name").asText() + "`"));
          md.append("| kubectl columns | ").append(String.join(", ", cols)).append(" |\n");
        }
        md.append('\n');
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        List<String[]> rows = new ArrayList<>();
        List<String[]> rules = new ArrayList<>();
        for (String top : List.of("spec", "status")) {
          if (schema.path("properties").has(top)) {
            walk(top, schema.path("properties").path(top), schema.path("required"), top, rows, rules);
          }
        }
        md.append("| Field | Type | Default | Limits | Description |\n|---|---|---|---|---|\n");
        for (String[] r : rows) {
          md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append('\n');
        if (!rules.isEmpty()) {
          md.append("Validation rules (CEL, checked by the API server):\n\n| Where | Rule | Message |\n|---|---|---|\n");
          for (String[] r : rules) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
          }
          md.append('\n');
        }
      }
    }
    return md.toString();
  }

  private static void walk(String path, JsonNode node, JsonNode parentRequired, String name, List<String[]> rows,
      List<String[]> rules) {
    boolean required = false;
    for (JsonNode r : parentRequired) {
      required |= r.asText().equals(name);
    }
    rows.add(new String[] {"`" + path + "`", type(node), node.has("default") ? "`" + node.path("default") + "`" : "",
        limits(node, required), text(node.path("description").asText(""))});
    for (JsonNode rule : node.path("x-kubernetes-validations")) {
      rules.add(new String[] {"`" + path + "`", "`" + cell(rule.path("rule").asText()) + "`",
          text(rule.path("message").asText(""))});
    }
    JsonNode props = node.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      walk(path + "." + e.getKey(), e.getValue(), node.path("required"), e.getKey(), rows, rules);
    }
    JsonNode items = node.path("items");
    if (items.has("properties")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = items.path("properties").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(path + "[]." + e.getKey(), e.getValue(), items.path("required"), e.getKey(), rows, rules);
      }
      for (JsonNode rule : items.path("x-kubernetes-validations")) {
        rules.add(new String[] {"`" + path + "[]`", "`" + cell(rule.path("rule").asText()) + "`",
            text(rule.path("message").asText(""))});
      }
    }
    JsonNode additional = node.path("additionalProperties");
    if (additional.has("properties")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = additional.path("properties").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(path + ".*." + e.getKey(), e.getValue(), additional.path("required"), e.getKey(), rows, rules);
      }
    }
  }

  private static String type(JsonNode node) {
    String t = node.path("type").asText("");
    if (t.equals("array")) {
      t = "[]" + (node.path("items").has("properties") ? "object" : node.path("items").path("type").asText("any"));
    } else if (t.equals("object") && node.has("additionalProperties") && !node.has("properties")) {
      t = "map[string]" + node.path("additionalProperties").path("type").asText("any");
    } else if (node.path("x-kubernetes-int-or-string").asBoolean(false)) {
      t = "int-or-string";
    } else if (node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) && t.isEmpty()) {
      t = "any";
    }
    if (node.has("format")) {
      t += " (" + node.path("format").asText() + ")";
    }
    return t;
  }

  private static String limits(JsonNode node, boolean required) {
    List<String> l = new ArrayList<>();
    if (required) {
      l.add("required");
    }
    if (node.has("enum")) {
      List<String> values = new ArrayList<>();
      node.path("enum").forEach(v -> values.add(v.asText()));
      l.add("one of " + codes(values));
    }
    for (String k : List.of("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties",
        "minimum", "maximum")) {
      if (node.has(k)) {
        l.add(k + " " + node.path(k).asText());
      }
    }
    if (node.has("pattern")) {
      l.add("pattern `" + cell(node.path("pattern").asText()) + "`");
    }
    return String.join(", ", l);
  }

  private static String codes(JsonNode values) {
    List<String> list = new ArrayList<>();
    values.forEach(v -> list.add(v.asText()));
    return codes(list);
  }

  private static String codes(List<String> values) {
    return String.join(", ", values.stream().map(v -> "`" + v + "`").toList());
  }

  private static String kind(JsonNode crd) {
    return crd.path("spec").path("names").path("kind").asText();
  }

  /** Prose in a table cell: one line, no pipes, no HTML (VitePress reads Markdown as Vue templates). */
  private static String text(String s) {
    return cell(s).replace("<", "&lt;").replace(">", "&gt;").replace("{{", "{&#8203;{");
  }

  private static String cell(String s) {
    return s.strip().replace("\r", "").replace("\n", " ").replace("|", "\\|");
  }

  // ------------------------------------------------------------------ the settings, from the command line

  public static String settings() {
    CommandLine cli = new CommandLine(new ApiKeyOperator());
    StringBuilder md = new StringBuilder();
    md.append("# Settings reference\n\n")
        .append("<!-- Generated from the picocli options of operator/src/main/java/dev/apikeyoperator/ApiKeyOperator.java "
            + "by operator/src/test/java/dev/apikeyoperator/docs/ReferenceDocs.java. Do not edit by hand: regenerate "
            + "with\n     ").append(UPDATE).append(" -->\n\n")
        .append("Every setting of the operator has a flag and an environment variable (the flag wins). ")
        .append("`java -jar operator/target/apikey-operator.jar --help` prints the same list. The Helm chart sets ")
        .append("them from its values (see [install](../operations/install.md)). This page is generated from the ")
        .append("command line's own definitions and checked in CI.\n\n")
        .append("| Flag | Environment variable | Default | Description |\n|---|---|---|---|\n");
    for (OptionSpec option : cli.getCommandSpec().options()) {
      Option annotation = annotation(option.longestName());
      String env = "";
      String dflt = "";
      String description = String.join(" ", option.description());
      if (annotation != null) {
        Matcher m = ENV_DEFAULT.matcher(annotation.defaultValue());
        if (m.matches()) {
          env = "`" + m.group(1) + "`";
          dflt = m.group(2);
        } else if (!annotation.defaultValue().equals(Option.NULL_VALUE)) {
          dflt = annotation.defaultValue();
        }
        description = String.join(" ", annotation.description()).replace("${DEFAULT-VALUE}", dflt.isEmpty() ? "empty" : dflt);
      }
      String type = option.typeInfo().isEnum()
          ? String.join(" \\| ", option.completionCandidates() == null ? List.of() : iterable(option.completionCandidates()))
          : option.arity().max() == 0 ? "" : option.typeInfo().getType().getSimpleName();
      md.append("| `").append(String.join("`, `", option.names())).append('`')
          .append(type.isEmpty() ? "" : " <em>" + type + "</em>")
          .append(" | ").append(env)
          .append(" | ").append(dflt.isEmpty() ? "" : "`" + cell(dflt) + "`")
          .append(" | ").append(text(description)).append(" |\n");
    }
    return md.toString();
  }

  private static List<String> iterable(Iterable<String> it) {
    List<String> list = new ArrayList<>();
    it.forEach(list::add);
    return list;
  }

  private static Option annotation(String name) {
    for (Field f : ApiKeyOperator.class.getDeclaredFields()) {
      Option o = f.getAnnotation(Option.class);
      if (o != null && List.of(o.names()).contains(name)) {
        return o;
      }
    }
    return null;
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
