package dev.apikeyoperator.informercache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.secret.SecretTemplates;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Secret informer keeps each of the operator's Secrets without managedFields (BENCHMARKS.md, issue 13), and the
 * operator still tells a Secret that holds the key as laid out from one edited by hand.
 */
class CachedSecretsTest {
  private static ApiKey apiKey() {
    return Serialization.unmarshal("{\"apiVersion\":\"apikeyoperator.dev/v1alpha1\",\"kind\":\"ApiKey\","
        + "\"metadata\":{\"name\":\"checkout\",\"namespace\":\"shop\",\"uid\":\"u-1\"},"
        + "\"spec\":{\"providerRef\":{\"name\":\"fme\"},\"fme\":{\"type\":\"server_side\"}}}", ApiKey.class);
  }

  /** {@code desired} as the API server serves it back: with uid, version and managedFields. */
  private static Secret served(Secret desired) {
    Secret s = new SecretBuilder(desired).editMetadata().withUid("s-1").withResourceVersion("12")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("fabric8-kubernetes-client")
            .withOperation("Update").withFieldsType("FieldsV1").build())
        .endMetadata().build();
    return Serialization.unmarshal(Serialization.asJson(s), Secret.class); // as an informer reads it
  }

  @Test
  void theCachedSecretStillMatchesWhatTheKeyNeedsAndHasNoManagedFields() throws Exception {
    Secret desired = ManagedSecrets.desired(apiKey(), facts());
    Secret cached = CachedSecrets.strip(served(desired));

    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(ManagedSecrets.matches(cached, ManagedSecrets.desired(apiKey(), facts()))).isTrue();
    assertThat(ManagedSecrets.value(cached, "apiKey")).isEqualTo("the-key-value");
    assertThat(ManagedSecrets.isOwnedBy(cached, apiKey())).isTrue();
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("12");
  }

  @Test
  void anEditByHandStillShowsInTheCachedSecret() throws Exception {
    Secret edited = new SecretBuilder(served(ManagedSecrets.desired(apiKey(), facts())))
        .editMetadata().addToAnnotations("note", "by hand").endMetadata()
        .withData(Map.of("apiKey", "eA==")).build();
    Secret cached = CachedSecrets.strip(Serialization.unmarshal(Serialization.asJson(edited), Secret.class));

    assertThat(ManagedSecrets.matches(cached, ManagedSecrets.desired(apiKey(), facts()))).isFalse();
    assertThat(cached.getMetadata().getAnnotations()).containsEntry("note", "by hand");
  }

  @Test
  void anUpdateBuiltFromTheCachedSecretCanBeChanged() throws Exception {
    Secret cached = CachedSecrets.strip(served(ManagedSecrets.desired(apiKey(), facts())));
    Secret updated = new SecretBuilder(cached).editMetadata().addToLabels("team", "shop")
        .addToAnnotations("x", "y").endMetadata().addToData("other", "eA==").build();

    assertThat(updated.getMetadata().getLabels()).containsEntry("team", "shop");
    assertThat(updated.getData()).containsKeys("apiKey", "other");
    assertThat(updated.getMetadata().getAnnotations()).containsEntry("x", "y");
  }

  @Test
  void theInformerIsToldWhichSecretsAKeyHas() {
    ApiKey k = apiKey();
    assertThat(ManagedSecrets.namesOf(k)).extracting(r -> r.getName())
        .containsExactlyInAnyOrder("checkout", "checkout-apikey-ledger");
  }

  private static SecretTemplates.KeyFacts facts() {
    return new SecretTemplates.KeyFacts(KeyValue.of("the-key-value"), "n", "i", "fme");
  }
}
