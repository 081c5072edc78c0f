package dev.apikeyoperator;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StartupTrainingTest {
  @Test
  void theImagesTrainingRunWiresTheOperatorWithoutAClusterAndReturns() {
    // The Dockerfile's build fails when the training run fails: every class it loads must still wire up.
    assertThatCode(() -> StartupTraining.train(Duration.ofSeconds(2))).doesNotThrowAnyException();
  }
}
