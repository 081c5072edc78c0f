package dev.apikeyoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart ships a copy of the repository's CRDs; the copy must never drift. */
class ChartCrdsTest {
  private static final Path REPOSITORY_CRDS = Path.of("..", "crds").toAbsolutePath().normalize();
  private static final Path CHART_CRDS = Chart.DIR.resolve("crds");
  private static final String REFRESH = "the chart's CRDs differ from the repository's; refresh them from the "
      + "repository root with: cp crds/*.yml helm/apikey-operator/crds/";

  @Test
  void chartHoldsTheSameCrdFilesAsTheRepository() throws IOException {
    List<String> repository = names(REPOSITORY_CRDS);
    assertThat(repository).as("CRDs in %s", REPOSITORY_CRDS).hasSize(3);

    assertThat(names(CHART_CRDS)).as(REFRESH).isEqualTo(repository);
  }

  @Test
  void everyChartCrdIsByteEqualToTheRepositorysCrd() throws IOException {
    for (String name : names(REPOSITORY_CRDS)) {
      Path copy = CHART_CRDS.resolve(name);
      assertThat(copy).as(REFRESH).exists();
      assertThat(Files.readAllBytes(copy)).as("%s: %s", name, REFRESH)
          .isEqualTo(Files.readAllBytes(REPOSITORY_CRDS.resolve(name)));
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .sorted().toList();
    }
  }
}
