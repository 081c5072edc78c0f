package dev.apikeyoperator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The operator's JSON mapping: no class-path scan at start-up, and what a watch needs is still understood. */
class ApiKeyOperatorSerializationTest {
  private final KubernetesSerialization serialization = OperatorFactory.serialization();

  @Test
  void aWatchErrorIsReadAsAStatusSoThatAnExpiredWatchReLists() {
    WatchEvent event = serialization.unmarshal("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\","
        + "\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410}}", WatchEvent.class);

    assertThat(event.getObject()).isInstanceOfSatisfying(Status.class, s -> assertThat(s.getCode()).isEqualTo(410));
  }

  @Test
  void theWatchedKindsAreReadAsTheirOwnTypes() {
    assertThat(watched("v1", "Secret")).isInstanceOf(Secret.class);
    assertThat(watched("v1", "Namespace")).isInstanceOf(Namespace.class);
    assertThat(watched("apikeyoperator.dev/v1alpha1", "ApiKey")).isInstanceOf(ApiKey.class);
    assertThat(watched("apikeyoperator.dev/v1alpha1", "ApiKeyProvider")).isInstanceOf(ApiKeyProvider.class);
    assertThat(watched("apikeyoperator.dev/v1alpha1", "ClusterApiKeyProvider"))
        .isInstanceOf(ClusterApiKeyProvider.class);
  }

  @Test
  void kindsTheOperatorNeverReadsAreNotLoadedAtStartUp() {
    // fabric8's default mapping knows every kind of every model jar: it loaded them all on its first use.
    assertThat(serialization.getRegisteredKubernetesResource("v1", "Pod")).isNull();
    assertThat(serialization.getRegisteredKubernetesResource("apps/v1", "Deployment")).isNull();
  }

  private Object watched(String apiVersion, String kind) {
    return serialization.unmarshal("{\"type\":\"ADDED\",\"object\":{\"kind\":\"" + kind + "\",\"apiVersion\":\""
        + apiVersion + "\",\"metadata\":{\"name\":\"x\",\"namespace\":\"shop\"}}}", WatchEvent.class).getObject();
  }
}
