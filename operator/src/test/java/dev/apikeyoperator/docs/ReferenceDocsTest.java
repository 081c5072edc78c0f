package dev.apikeyoperator.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/api.md and docs/reference/settings.md are what ReferenceDocs generates from the CRDs and the command
 * line: a field or a setting added, removed or changed without regenerating them fails the build. With
 * -Ddocs.update=true the pages are rewritten instead.
 */
class ReferenceDocsTest {
  private static final Path ROOT = ReferenceDocs.repoRoot();

  @Test
  void apiReferenceIsGeneratedFromTheCommittedCrds() throws IOException {
    String generated = ReferenceDocs.api(ROOT);
    assertThat(generated).contains("## ApiKey\n", "## ApiKeyProvider\n", "## ClusterApiKeyProvider\n",
        "`spec.rotation.gracePeriod`", "`spec.deletionPolicy`", "`status.conditions`");
    check(ROOT.resolve("docs/reference/api.md"), generated);
  }

  @Test
  void settingsReferenceIsGeneratedFromTheCommandLine() throws IOException {
    String generated = ReferenceDocs.settings();
    assertThat(generated).contains("`--watch-namespaces`", "`WATCH_NAMESPACES`", "`OPERATOR_NAMESPACE`", "`--help`");
    check(ROOT.resolve("docs/reference/settings.md"), generated);
  }

  private static void check(Path page, String generated) throws IOException {
    if (Boolean.getBoolean("docs.update")) {
      Files.writeString(page, generated);
      return;
    }
    String committed = ReferenceDocs.read(page);
    if (!committed.equals(generated)) {
      fail(ROOT.relativize(page) + " differs from what the code generates (a CRD or a setting changed). Regenerate: "
          + ReferenceDocs.UPDATE);
    }
  }
}
