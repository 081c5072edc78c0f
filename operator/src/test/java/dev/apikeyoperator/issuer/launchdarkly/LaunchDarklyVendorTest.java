package dev.apikeyoperator.issuer.launchdarkly;

import static dev.apikeyoperator.issuer.launchdarkly.LaunchDarklyPolicyTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.AdoptSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeyType;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyRole;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.ledger.LedgerKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation, identity and the recorded ids of LaunchDarkly credentials. */
class LaunchDarklyVendorTest {
  private static final LaunchDarklyVendor LD = LaunchDarklyVendor.INSTANCE;

  private static List<String> problems(ApiKeySpec spec) {
    List<String> problems = new ArrayList<>();
    LD.validate(spec, problems);
    return problems;
  }

  @Test
  void aKeyInAnEnvironmentNeedsProjectAndEnvironmentKeysAndNoTokenFields() {
    assertThat(problems(spec(LaunchDarklyKeyType.SDK, s -> { }))).isEmpty();
    assertThat(problems(spec(LaunchDarklyKeyType.SDK, s -> s.project = null))).singleElement().asString()
        .contains("spec.launchDarkly.project is missing");
    assertThat(problems(spec(LaunchDarklyKeyType.MOBILE, s -> s.environment = "Prod Env"))).singleElement()
        .asString().contains("is not a LaunchDarkly environment key");
    assertThat(problems(spec(LaunchDarklyKeyType.SDK, s -> s.role = LaunchDarklyRole.ADMIN))).singleElement()
        .asString().contains("apply to type accessToken only");
  }

  @Test
  void aTokenNeedsExactlyOneWayToSayItsRole() {
    assertThat(problems(spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> { }))).isEmpty();
    assertThat(problems(spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> s.role = null))).singleElement().asString()
        .contains("exactly one of role");
    assertThat(problems(spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> s.customRoleIds = new ArrayList<>(
        List.of("x"))))).singleElement().asString().contains("exactly one of role");
    assertThat(problems(spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> s.project = "shop"))).singleElement()
        .asString().contains("do not apply to an access token");
    assertThat(problems(spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> s.defaultApiVersion = 42))).singleElement()
        .asString().contains("is not an API version");
  }

  @Test
  void aSharedKeyHasNoScheduleAndNothingIsAdopted() {
    ApiKeySpec scheduled = spec(LaunchDarklyKeyType.ENVIRONMENT_SDK_KEY, s -> { });
    scheduled.rotation = new RotationSpec();
    scheduled.rotation.every = "720h";
    assertThat(problems(scheduled)).singleElement().asString().contains("spec.rotation.every does not apply");
    ApiKeySpec adopt = spec(LaunchDarklyKeyType.SDK, s -> { });
    adopt.adopt = new AdoptSpec();
    assertThat(problems(adopt)).singleElement().asString().contains("spec.adopt is not supported");
  }

  @Test
  void theIdentityHoldsWhatCannotChangeAndTheSettingsTheDescription() {
    ApiKeySpec token = spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> { });
    ApiKeySpec pinned = spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> s.defaultApiVersion = 20220603);
    assertThat(LD.specIdentity(token)).isNotEqualTo(LD.specIdentity(pinned)).contains("defaultApiVersion=20240415");
    ApiKeySpec described = spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> s.description = "other");
    assertThat(LD.specIdentity(described)).isEqualTo(LD.specIdentity(token));
    assertThat(LD.settings(described)).isNotEqualTo(LD.settings(token));
    assertThat(LD.settings(spec(LaunchDarklyKeyType.ENVIRONMENT_SDK_KEY, s -> s.description = "x"))).isEmpty();
    assertThat(LD.followsVendorValue(spec(LaunchDarklyKeyType.ENVIRONMENT_MOBILE_KEY, s -> { }))).isTrue();
    assertThat(LD.followsVendorValue(spec(LaunchDarklyKeyType.SDK, s -> { }))).isFalse();
  }

  @Test
  void theClientSideIdComesFromTheResolvedIdentity() {
    LedgerKey key = new LedgerKey("k", "sdkKey:shop/production/k", KeyValue.of("sdk-x"), Instant.EPOCH,
        "launchDarkly;type=sdk;project=shop;environment=production;clientSideId=abc123", "", "", null);
    assertThat(LD.clientSideId(key)).isEqualTo("abc123");
    assertThat(LD.clientSideId(new LedgerKey("k", null, KeyValue.of("v"), Instant.EPOCH, null, "", "", null)))
        .isNull();
    // The recorded id carries it too, so a key found again after a lost answer, or recovered from status, has it.
    String recorded = LaunchDarklyKeyId.recorded(LaunchDarklyKeyId.sdkKey("shop", "production", "k"), "5f3e21");
    assertThat(recorded).isEqualTo("sdkKey:shop/production/k@5f3e21");
    assertThat(LD.clientSideId(new LedgerKey("k", recorded, KeyValue.of("v"), Instant.EPOCH, null, "", "", null)))
        .isEqualTo("5f3e21");
    assertThat(LaunchDarklyKeyId.parse(recorded)).isEqualTo(LaunchDarklyKeyId.sdkKey("shop", "production", "k"));
    assertThat(LaunchDarklyKeyId.recorded(LaunchDarklyKeyId.token("t1"), null)).isEqualTo("token:t1");
  }

  @Test
  void recordedIdsReadBackAndForgedOnesAreRefused() {
    assertThat(LaunchDarklyKeyId.parse("sdkKey:shop/production/k-1")).isEqualTo(
        LaunchDarklyKeyId.sdkKey("shop", "production", "k-1"));
    assertThat(LaunchDarklyKeyId.parse("token:abc")).isEqualTo(LaunchDarklyKeyId.token("abc"));
    assertThat(LaunchDarklyKeyId.parse(LaunchDarklyKeyId.shared("p", "e", true).toString()).key())
        .isEqualTo("mobile");
    for (String forged : new String[] {null, "abc", "token:", "token:a/b", "sdkKey:a/b", "sdkKey:a//c",
        "other:a/b/c"}) {
      assertThat(LaunchDarklyKeyId.parse(forged)).as(String.valueOf(forged)).isNull();
    }
    assertThat(LaunchDarklyKeyId.sdkKeyKey("Prod_EU1+shop-checkout-7kq2ab")).isEqualTo("prod_eu1-shop-checkout-7kq2ab");
  }
}
