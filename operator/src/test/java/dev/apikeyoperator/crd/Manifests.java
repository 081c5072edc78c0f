package dev.apikeyoperator.crd;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Test manifests: YAML files, possibly several documents each, with optional "# expect: ..." header lines. */
final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final String EXPECT = "# expect:";

  private Manifests() {}

  /** Test resource folder, e.g. "manifests/valid". */
  static Path resourceDir(String name) {
    URL url = Manifests.class.getClassLoader().getResource(name);
    Objects.requireNonNull(url, "test resource folder " + name + " not found");
    try {
      return Paths.get(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** *.yaml / *.yml files under dir, recursively, sorted. */
  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The non-empty YAML documents of a file. */
  static List<Map<String, Object>> documents(Path file) {
    try (MappingIterator<Map<String, Object>> it =
        YAML.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(file.toFile())) {
      List<Map<String, Object>> docs = new ArrayList<>();
      while (it.hasNextValue()) {
        Map<String, Object> doc = it.nextValue();
        if (doc != null && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The single document of a test manifest. */
  static Map<String, Object> single(Path file) {
    List<Map<String, Object>> docs = documents(file);
    if (docs.size() != 1) {
      throw new IllegalStateException(file + " must hold exactly one document, holds " + docs.size());
    }
    return docs.get(0);
  }

  /** The "# expect: ..." lines at the top of the file (the first line must be one). */
  static List<String> expectations(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      List<String> expect = new ArrayList<>();
      for (String line : lines) {
        if (!line.startsWith(EXPECT)) {
          break;
        }
        expect.add(line.substring(EXPECT.length()).strip());
      }
      return expect;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
