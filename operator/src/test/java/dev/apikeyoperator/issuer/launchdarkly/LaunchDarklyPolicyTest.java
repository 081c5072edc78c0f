package dev.apikeyoperator.issuer.launchdarkly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeySpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeyType;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyRole;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyStatement;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.issuer.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Which LaunchDarkly credentials a provider's policy lets a tenant have. */
class LaunchDarklyPolicyTest {
  private static final LaunchDarklyVendor LD = LaunchDarklyVendor.INSTANCE;

  static Provider provider(Consumer<ProviderPolicy> policy) {
    ProviderSpec spec = new ProviderSpec();
    spec.launchDarkly = new LaunchDarklyProviderSpec();
    spec.policy = new ProviderPolicy();
    policy.accept(spec.policy);
    return new Provider(ProviderRef.Kind.ApiKeyProvider, "ld", "shop", "uid", spec, null);
  }

  static ApiKeySpec spec(LaunchDarklyKeyType type, Consumer<LaunchDarklyKeySpec> change) {
    ApiKeySpec spec = new ApiKeySpec();
    spec.launchDarkly = new LaunchDarklyKeySpec();
    spec.launchDarkly.type = type;
    if (type.inEnvironment()) {
      spec.launchDarkly.project = "shop";
      spec.launchDarkly.environment = "production";
    } else {
      spec.launchDarkly.role = LaunchDarklyRole.READER;
    }
    change.accept(spec.launchDarkly);
    return spec;
  }

  @Test
  void byDefaultSdkMobileAndSharedKeysButNoTokens() {
    Provider p = provider(x -> { });
    for (LaunchDarklyKeyType t : List.of(LaunchDarklyKeyType.SDK, LaunchDarklyKeyType.MOBILE,
        LaunchDarklyKeyType.ENVIRONMENT_SDK_KEY, LaunchDarklyKeyType.ENVIRONMENT_MOBILE_KEY)) {
      assertThat(LD.checkRequest(p, spec(t, s -> { }))).as(t.wire()).isEmpty();
    }
    assertThat(LD.checkRequest(p, spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> { }))).get().asString()
        .contains("does not allow LaunchDarkly accessToken credentials")
        .contains("allowedLaunchDarklyTypes: sdk, mobile, environmentSdkKey, environmentMobileKey");
  }

  @Test
  void tokensGetOnlyTheRolesTheProviderLists() {
    Provider tokens = provider(x -> x.allowedLaunchDarklyTypes = new ArrayList<>(List.of(
        LaunchDarklyKeyType.ACCESS_TOKEN)));
    assertThat(LD.checkRequest(tokens, spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> { }))).isEmpty();
    assertThat(LD.checkRequest(tokens, spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> s.role = LaunchDarklyRole.WRITER)))
        .get().asString().contains("role writer").contains("allowedLaunchDarklyRoles: reader");
    assertThat(LD.checkRequest(tokens, spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> s.role = LaunchDarklyRole.ADMIN)))
        .isPresent();
    Provider admins = provider(x -> {
      x.allowedLaunchDarklyTypes = new ArrayList<>(List.of(LaunchDarklyKeyType.ACCESS_TOKEN));
      x.allowedLaunchDarklyRoles = new ArrayList<>(List.of(LaunchDarklyRole.READER, LaunchDarklyRole.ADMIN));
    });
    assertThat(LD.checkRequest(admins, spec(LaunchDarklyKeyType.ACCESS_TOKEN, s -> s.role = LaunchDarklyRole.ADMIN)))
        .isEmpty();
  }

  @Test
  void customAndInlineRolesOnlyWhereAllowed() {
    Consumer<LaunchDarklyKeySpec> custom = s -> {
      s.role = null;
      s.customRoleIds = new ArrayList<>(List.of("flag-editor", "billing-admin"));
    };
    Consumer<LaunchDarklyKeySpec> inline = s -> {
      s.role = null;
      LaunchDarklyStatement st = new LaunchDarklyStatement();
      st.effect = "allow";
      st.actions = new ArrayList<>(List.of("*"));
      st.resources = new ArrayList<>(List.of("proj/*"));
      s.inlineRole = new ArrayList<>(List.of(st));
    };
    Provider none = provider(x -> x.allowedLaunchDarklyTypes = new ArrayList<>(List.of(
        LaunchDarklyKeyType.ACCESS_TOKEN)));
    assertThat(LD.checkRequest(none, spec(LaunchDarklyKeyType.ACCESS_TOKEN, custom))).get().asString()
        .contains("custom role(s) flag-editor, billing-admin").contains("allowedCustomRoleIds: none");
    assertThat(LD.checkRequest(none, spec(LaunchDarklyKeyType.ACCESS_TOKEN, inline))).get().asString()
        .contains("allowInlineRoles is false");
    Provider some = provider(x -> {
      x.allowedLaunchDarklyTypes = new ArrayList<>(List.of(LaunchDarklyKeyType.ACCESS_TOKEN));
      x.allowedCustomRoleIds = new ArrayList<>(List.of("flag-editor"));
      x.allowInlineRoles = true;
    });
    assertThat(LD.checkRequest(some, spec(LaunchDarklyKeyType.ACCESS_TOKEN, custom))).get().asString()
        .contains("custom role(s) billing-admin");
    assertThat(LD.checkRequest(some, spec(LaunchDarklyKeyType.ACCESS_TOKEN, inline))).isEmpty();
  }

  @Test
  void projectsAndEnvironmentsAreLaunchDarklyKeys() {
    Provider p = provider(x -> {
      x.allowedProjects = new ArrayList<>(List.of("shop"));
      x.allowedEnvironments = new ArrayList<>(List.of("test"));
    });
    assertThat(LD.checkRequest(p, spec(LaunchDarklyKeyType.SDK, s -> s.environment = "test"))).isEmpty();
    assertThat(LD.checkRequest(p, spec(LaunchDarklyKeyType.SDK, s -> { }))).get().asString()
        .contains("environment production (policy.allowedEnvironments: test)");
    assertThat(LD.checkRequest(p, spec(LaunchDarklyKeyType.ENVIRONMENT_SDK_KEY, s -> s.project = "billing")))
        .get().asString().contains("project billing (policy.allowedProjects: shop)");
  }

  @Test
  void aSharedKeyIsResetOnlyWhereAllowed() {
    ApiKeySpec shared = spec(LaunchDarklyKeyType.ENVIRONMENT_SDK_KEY, s -> { });
    assertThat(LD.checkRotation(provider(x -> { }), shared)).get().asString()
        .contains("allowSharedKeyReset is false").contains("every other user of environment production");
    assertThat(LD.checkRotation(provider(x -> x.allowSharedKeyReset = true), shared)).isEmpty();
    // Own keys rotate by minting a new one beside the old: no policy needed.
    assertThat(LD.checkRotation(provider(x -> { }), spec(LaunchDarklyKeyType.SDK, s -> { }))).isEmpty();
  }
}
