package dev.apikeyoperator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartupAddsTest {
  private static Secret created(String when) {
    return new SecretBuilder().withNewMetadata().withName("s").withCreationTimestamp(when).endMetadata().build();
  }

  @Test
  void whatExistedWellBeforeStartWakesNobodyWhatCameSinceDoes() {
    var filter = StartupAdds.<Secret>onlyNewerThanStart();
    assertThat(filter.accept(created(Instant.now().minusSeconds(3600).toString()))).isFalse();
    assertThat(filter.accept(created(Instant.now().toString()))).isTrue();
    assertThat(filter.accept(created(Instant.now().minusSeconds(20).toString())))
        .as("within the margin for a clock behind ours").isTrue();
    assertThat(filter.accept(created(null))).as("no creation time").isTrue();
    assertThat(filter.accept(created("yesterday"))).as("unreadable").isTrue();
  }
}
