package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.SecretSpec;
import dev.apikeyoperator.api.v1alpha1.SecretTemplate;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.simulator.SimKey;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/guides/secret-templates.md: more data keys rendered from the key into the managed Secret. */
class SecretTemplatesIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  @Test
  void templatesAreRenderedIntoTheSecretWithTheKeyAndHealed() {
    String ns = h.namespaceWithProvider();
    ApiKey k = serverSideKey(ns, "tpl");
    k.getSpec().secret = withTemplates(Map.of(
        "SPLIT_SDK_KEY", "{{key}}",
        "split.json", "{\"authorizationKey\": \"{{key}}\", \"name\": \"{{keyName}}\"}",
        "about", "{{vendor}} {{fingerprint}}{{#keyId}} id={{keyId}}{{/keyId}}"));
    h.create(k);
    h.awaitReason(ns, "tpl", "KeyReady");

    ApiKey live = h.get(ns, "tpl");
    SimKey key = h.activeKeys(ns + "-tpl-").get(0);
    Secret secret = h.secret(ns, "tpl");
    assertThat(secret.getData()).containsOnlyKeys("apiKey", "SPLIT_SDK_KEY", "split.json", "about");
    assertThat(OperatorHarness.value(secret, "SPLIT_SDK_KEY")).isEqualTo(key.key());
    assertThat(OperatorHarness.value(secret, "split.json"))
        .isEqualTo("{\"authorizationKey\": \"" + key.key() + "\", \"name\": \"" + live.getStatus().key.name + "\"}");
    assertThat(OperatorHarness.value(secret, "about")).startsWith("fme " + live.getStatus().key.fingerprint);

    // Edited by hand: restored on the next visit.
    h.edit(Secret.class, ns, "tpl", s -> s.getData().put("SPLIT_SDK_KEY", base64("tampered")));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(OperatorHarness.value(h.secret(ns, "tpl"), "SPLIT_SDK_KEY")).isEqualTo(key.key()));

    // A changed template rewrites the Secret; it mints no key.
    h.edit(ApiKey.class, ns, "tpl", a -> a.getSpec().secret.template.data.put("SPLIT_SDK_KEY", "sdk={{key}}"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(OperatorHarness.value(h.secret(ns, "tpl"), "SPLIT_SDK_KEY")).isEqualTo("sdk=" + key.key()));
    assertThat(h.allKeys(ns + "-tpl-")).hasSize(1);
  }

  @Test
  void aTemplateWithAnUnknownVariableIsInvalidSpecBeforeAnyVendorCall() {
    String ns = h.namespaceWithProvider();
    ApiKey k = serverSideKey(ns, "bad");
    k.getSpec().secret = withTemplates(Map.of("SDK", "{{key}} {{password}}"));
    h.create(k);

    StatusCondition synced = h.awaitReason(ns, "bad", "InvalidSpec");
    assertThat(synced.getMessage()).contains("spec.secret.template.data['SDK']").contains("password");
    assertThat(h.ready(ns, "bad")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(h.allKeys(ns + "-bad-")).isEmpty());
    assertThat(h.secret(ns, "bad")).isNull();
  }

  @Test
  void aTemplateThatCollidesWithTheKeysDataKeyIsRefused() {
    String ns = h.namespaceWithProvider();
    ApiKey k = serverSideKey(ns, "clash");
    k.getSpec().secret = withTemplates(Map.of("apiKey", "{{key}}"));
    h.create(k);

    assertThat(h.awaitReason(ns, "clash", "InvalidSpec").getMessage()).contains("collides with spec.secret.key");
    assertThat(h.allKeys(ns + "-clash-")).isEmpty();
  }

  private static SecretSpec withTemplates(Map<String, String> templates) {
    SecretSpec secret = new SecretSpec();
    secret.template = new SecretTemplate();
    secret.template.data = new LinkedHashMap<>(templates);
    return secret;
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
