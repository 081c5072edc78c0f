package dev.apikeyoperator.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.issuer.KeyValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTemplatesTest {
  private static final String RAW = "k&y<1>\"2\"'3'=4/5";
  private static final SecretTemplates.KeyFacts FACTS =
      new SecretTemplates.KeyFacts(KeyValue.of(RAW), "shop-checkout-7kq2ab", "id-42", "fme");

  @Test
  void theKeyIsRenderedRawWithoutHtmlEscaping() {
    Map<String, String> out = SecretTemplates.render(Map.of("SPLIT_SDK_KEY", "{{key}}",
        "split.json", "{\"authorizationKey\": \"{{key}}\"}"), FACTS);

    assertThat(out).containsEntry("SPLIT_SDK_KEY", RAW)
        .containsEntry("split.json", "{\"authorizationKey\": \"" + RAW + "\"}");
  }

  @Test
  void everyVariableIsRendered() {
    Map<String, String> out = SecretTemplates.render(Map.of("all",
        "{{keyName}}|{{keyId}}|{{fingerprint}}|{{vendor}}|{{{key}}}|{{&key}}"), FACTS);

    assertThat(out.get("all")).isEqualTo("shop-checkout-7kq2ab|id-42|" + KeyValue.fingerprintOf(RAW) + "|fme|"
        + RAW + "|" + RAW);
  }

  @Test
  void sectionsOnKnownVariablesAreLogicLessConditionals() {
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
    String many = "{{key}}".repeat(1100); // 7700 characters; about 1100 * 256 bytes once rendered
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
  void theSizeCountsNamesAndValuesInBytes() {
    assertThat(SecretTemplates.size(Map.of("ab", "é"))).isEqualTo(4);
  }

  @Test
  void aRenderedSecretOverTheLimitIsNotBuilt() {
    String many = "{{key}}".repeat(1100);
    Map<String, String> templates = Map.of("t", many);
    SecretTemplates.KeyFacts huge = new SecretTemplates.KeyFacts(KeyValue.of("x".repeat(1000)), "n", "i", "fme");
    assertThat(SecretTemplates.size(SecretTemplates.render(templates, huge)))
        .isGreaterThan(SecretTemplates.MAX_SECRET_BYTES);
  }
}
