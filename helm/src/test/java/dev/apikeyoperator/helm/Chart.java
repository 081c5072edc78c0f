package dev.apikeyoperator.helm;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Renders the chart with the embedded Helm of helm-java and parses what comes out. */
final class Chart {
  /** The chart, relative to this module's directory (surefire's working directory). */
  static final Path DIR = Path.of("apikey-operator").toAbsolutePath();
  /** Contains the chart name, so every object is named after the release. */
  static final String RELEASE = "apikey-operator";
  static final String NAMESPACE = "apikey-system";

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private Chart() {
  }

  /** {@code helm template} with the given values (YAML, may be empty); throws when Helm fails. */
  static String template(String valuesYaml) {
    Path values = writeTemp("values", ".yaml", valuesYaml);
    try {
      return new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(values).call();
    } finally {
      delete(values);
    }
  }

  /** Every object {@code helm template} renders with the given values. */
  static Rendered render(String valuesYaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(template(valuesYaml))) {
      if (document.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
        continue;
      }
      objects.add(Serialization.unmarshal(document, HasMetadata.class));
    }
    return new Rendered(objects);
  }

  static Path writeTemp(String prefix, String suffix, String content) {
    try {
      Path file = Files.createTempFile(prefix, suffix);
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temp file left behind is harmless
    }
  }

  /** The rendered objects, with look-ups by kind and name. */
  record Rendered(List<HasMetadata> objects) {
    List<String> kinds() {
      return objects.stream().map(HasMetadata::getKind).sorted().toList();
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<HasMetadata> ofKind(String kind) {
      return objects.stream().filter(o -> o.getKind().equals(kind)).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      if (found.size() != 1) {
        throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
      }
      return found.get(0);
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
      return all(type).stream()
          .filter(o -> name.equals(o.getMetadata().getName()))
          .filter(o -> namespace == null || namespace.equals(o.getMetadata().getNamespace()))
          .findFirst();
    }

    /** Every RBAC rule of every Role and ClusterRole. */
    List<PolicyRule> allRules() {
      List<PolicyRule> rules = new ArrayList<>();
      all(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
      all(io.fabric8.kubernetes.api.model.rbac.Role.class).forEach(r -> rules.addAll(r.getRules()));
      return rules;
    }
  }
}
