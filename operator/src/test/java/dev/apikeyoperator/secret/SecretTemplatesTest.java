package dev.apikeyoperator.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTemplatesTest {
  private static final String RAW = "k&y<1>\"2\"'3'=4/5";
  private static final SecretTemplates.KeyFacts FACTS =
      new SecretTemplates.KeyFacts(KeyValue.of(RAW), "shop-checkout-7kq2ab", "id-42", "fme");

  @Test
  void theKeyIsRenderedRawWithoutHtmlEscaping() throws Exception {
    Map<String, String> out = SecretTemplates.render(Map.of("SPLIT_SDK_KEY", "{{key}}",
        "split.json", "{\"authorizationKey\": \"{{key}}\"}"), FACTS);

    assertThat(out).containsEntry("SPLIT_SDK_KEY", RAW)
        .containsEntry("split.json", "{\"authorizationKey\": \"" + RAW + "\"}");
  }

  @Test
  void everyVariableIsRendered() throws Exception {
    Map<String, String> out = SecretTemplates.render(Map.of("all",
        "{{keyName}}|{{keyId}}|{{fingerprint}}|{{vendor}}|{{{key}}}|{{&key}}"), FACTS);

    assertThat(out.get("all")).isEqualTo("shop-checkout-7kq2ab|id-42|" + KeyValue.fingerprintOf(RAW) + "|fme|"
        + RAW + "|" + RAW);
  }

  @Test
  void sectionsOnKnownVariablesAreLogicLessConditionals() throws Exception {
    String template = "{{#keyId}}id={{keyId}}{{/keyId}}{{^keyId}}no id{{/keyId}}";
    assertThat(SecretTemplates.problems(Map.of("t", template), "apiKey")).isEmpty();

    assertThat(SecretTemplates.render(Map.of("t", template), FACTS)).containsEntry("t", "id=id-42");
    assertThat(SecretTemplates.render(Map.of("t", template),
        new SecretTemplates.KeyFacts(KeyValue.of("v"), "n", null, "statsig"))).containsEntry("t", "no id");
  }

  @Test
  void validTemplatesHaveNoProblems() {
    assertThat(SecretTemplates.problems(Map.of("SPLIT_SDK_KEY", "{{key}}", "a.b-c_d", "{{! a comment }}x"),
        "apiKey")).isEmpty();
  }

  @Test
  void anUnknownVariableIsAProblemNamingIt() {
    assertThat(SecretTemplates.problems(Map.of("SDK", "{{key}} {{password}} {{key.length}}"), "apiKey"))
        .singleElement().asString()
        .contains("spec.secret.template.data['SDK']").contains("password").contains("key.length")
        .contains("key, keyName, keyId, fingerprint, vendor");
  }

  @Test
  void aSectionOnAnUnknownNameIsAProblem() {
    assertThat(SecretTemplates.problems(Map.of("SDK", "{{#env}}{{key}}{{/env}}"), "apiKey"))
        .singleElement().asString().contains("env");
  }

  @Test
  void aTemplateThatDoesNotParseIsAProblem() {
    assertThat(SecretTemplates.problems(Map.of("SDK", "{{#key}}unclosed"), "apiKey"))
        .singleElement().asString().contains("spec.secret.template.data['SDK'] is not a valid Mustache template");
  }

  @Test
  void aPartialIsRefusedAndReadsNoFile() {
    assertThat(SecretTemplates.problems(Map.of("SDK", "{{> /etc/passwd}}"), "apiKey")).hasSize(1);
  }

  @Test
  void dataKeysMustBeValidAndDifferFromTheKeysDataKey() {
    Map<String, String> templates = new LinkedHashMap<>();
    templates.put("bad/key", "{{key}}");
    templates.put("token", "{{key}}");
    assertThat(SecretTemplates.problems(templates, "token")).hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("invalid data key 'bad/key'"))
        .anySatisfy(p -> assertThat(p).contains("collides with spec.secret.key"));
  }

  @Test
  void templatesThatWouldRenderOverOneMebibyteAreAProblem() {
    Map<String, String> templates = new LinkedHashMap<>();
    String many = "{{key}}".repeat(900); // 6300 characters; at most 900 * 512 bytes once rendered
    for (int i = 0; i < 4; i++) {
      templates.put("t" + i, many);
    }
    assertThat(SecretTemplates.problems(templates, "apiKey")).singleElement().asString()
        .contains("over the 1048576 bytes");
    templates.remove("t3");
    templates.remove("t2");
    assertThat(SecretTemplates.problems(templates, "apiKey")).isEmpty();
  }

  @Test
  void anInvertedSectionCountsAsIfRenderedSoNoTemplateCanHideItsSize() {
    // Rendered only when keyId is empty (an adopted key): the bound must count it all the same.
    String bomb = "{{^keyId}}" + "{{key}}".repeat(200) + "{{/keyId}}";
    Map<String, String> templates = new LinkedHashMap<>();
    for (int i = 0; i < 16; i++) {
      templates.put("t" + i, bomb);
    }
    assertThat(SecretTemplates.problems(templates, "apiKey")).singleElement().asString()
        .contains("over the 1048576 bytes");
  }

  @Test
  void aValueLongerThanAnyVendorsKeyIsRefusedBeforeRendering() {
    SecretTemplates.KeyFacts adopted = new SecretTemplates.KeyFacts(KeyValue.of("x".repeat(40_000)), "n", null,
        "fme");
    assertThatThrownBy(() -> SecretTemplates.render(Map.of("t", "{{^keyId}}{{key}}{{/keyId}}"), adopted))
        .isInstanceOf(SecretTooLargeException.class).hasMessageContaining("40000 characters")
        .hasMessageNotContaining("xxxx");
  }

  @Test
  void renderingStopsAtTheSecretsLimit() {
    SecretTemplates.KeyFacts longest = new SecretTemplates.KeyFacts(KeyValue.of("x".repeat(512)), "n", "i", "fme");
    assertThatThrownBy(() -> SecretTemplates.render(Map.of("t", "{{key}}".repeat(4096)), longest))
        .isInstanceOf(SecretTooLargeException.class).hasMessageContaining("rendering stopped");
  }

  @Test
  void theSizeCountsNamesAndValuesInBytes() {
    assertThat(SecretTemplates.size(Map.of("ab", "é"))).isEqualTo(4);
  }

}
