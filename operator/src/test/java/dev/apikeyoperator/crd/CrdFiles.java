package dev.apikeyoperator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where the generated and the committed CRDs are, and how to load them. */
final class CrdFiles {
  static final String REFRESH_COMMAND = "mvn -pl operator -am process-classes -Pupdate-crds";

  private CrdFiles() {}

  /** crds/ at the repository root (surefire sets crds.dir; fallback for IDE runs from operator/). */
  static Path committedDir() {
    return Paths.get(System.getProperty("crds.dir", "../crds")).toAbsolutePath().normalize();
  }

  /** operator/target/classes/META-INF/fabric8, written by crd-generator-maven-plugin at process-classes. */
  static Path generatedDir() {
    return Paths.get(System.getProperty("generated.crds.dir", "target/classes/META-INF/fabric8"))
        .toAbsolutePath()
        .normalize();
  }

  /** Repository root (parent of crds/). */
  static Path repoRoot() {
    return committedDir().getParent();
  }

  static List<Path> yamlFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".yml") || p.getFileName().toString().endsWith(".yaml"))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> generatedFiles() {
    return yamlFiles(generatedDir());
  }

  static CustomResourceDefinition load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The generated CRD whose spec.names.kind is {@code kind}. */
  static CustomResourceDefinition generated(String kind) {
    return generatedFiles().stream()
        .map(CrdFiles::load)
        .filter(c -> kind.equals(c.getSpec().getNames().getKind()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no generated CRD for kind " + kind + " in " + generatedDir()));
  }
}
