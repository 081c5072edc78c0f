package dev.apikeyoperator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The ledger seal key is kept only in the operator's own namespace, never in a guessed one. */
class OwnNamespaceTest {
  @TempDir
  Path dir;

  @Test
  void theConfiguredNamespaceElseThePodsElseNone() throws Exception {
    Path pod = dir.resolve("namespace");
    assertThat(ApiKeyOperator.ownNamespace("apikey-operator", pod)).contains("apikey-operator");
    assertThat(ApiKeyOperator.ownNamespace("", pod)).isEmpty();
    Files.writeString(pod, "platform\n");
    assertThat(ApiKeyOperator.ownNamespace(" ", pod)).contains("platform");
  }

  @Test
  void outsideAPodWithoutOperatorNamespaceTheOperatorRefusesToStart() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("OPERATOR_NAMESPACE") == null
        && !Files.exists(ApiKeyOperator.POD_NAMESPACE), "runs only outside a pod, without OPERATOR_NAMESPACE");
    assertThat(new CommandLine(new ApiKeyOperator()).execute("--http-port", "0")).isEqualTo(2);
  }
}
