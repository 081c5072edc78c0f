package dev.apikeyoperator.issuer.launchdarkly;

import dev.apikeyoperator.api.v1alpha1.GoDuration;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeySpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeyType;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyStatement;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.issuer.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;

/**
 * LaunchDarkly (REST API v2): SDK and mobile keys of an ApiKey's own, access tokens, and the environment's shared
 * keys. Keys are found again, read back, described in place, and given a vendor-side expiry when replaced.
 */
public final class LaunchDarklyVendor implements Vendor {
  public static final LaunchDarklyVendor INSTANCE = new LaunchDarklyVendor();
  private static final Capabilities CAPABILITIES = new Capabilities(true, true, true, false, false, true);
  /** Project and environment keys: LaunchDarkly allows letters, digits, '.', '_' and '-'. */
  private static final Pattern LD_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final String CLIENT_SIDE_ID = ";clientSideId=";

  private LaunchDarklyVendor() {}

  @Override
  public String name() {
    return "launchDarkly";
  }

  @Override
  public boolean accountOf(ProviderSpec spec) {
    return spec.launchDarkly != null;
  }

  @Override
  public boolean keyOf(ApiKeySpec spec) {
    return spec.launchDarkly != null;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public CredentialsSecretRef credentialsRef(ProviderSpec spec) {
    return spec.launchDarkly.credentials == null ? null : spec.launchDarkly.credentials.secretRef;
  }

  @Override
  public String baseUrl(ProviderSpec spec) {
    return spec.launchDarkly.baseUrlOrDefault();
  }

  /** The commercial, EU and federal instances. */
  @Override
  public java.util.Set<String> hosts() {
    return java.util.Set.of("app.launchdarkly.com", "app.eu.launchdarkly.com", "app.launchdarkly.us");
  }

  @Override
  public Duration readBackInterval(ProviderSpec spec) {
    return GoDuration.parse(spec.launchDarkly.readBackInterval == null
        ? LaunchDarklyProviderSpec.DEFAULT_READ_BACK_INTERVAL : spec.launchDarkly.readBackInterval);
  }

  @Override
  public void validate(ApiKeySpec spec, List<String> problems) {
    LaunchDarklyKeySpec ld = spec.launchDarkly;
    if (ld.type == null) {
      problems.add("spec.launchDarkly.type is missing: use sdk, mobile, accessToken, environmentSdkKey or "
          + "environmentMobileKey");
      return;
    }
    boolean tokenFields = ld.role != null || !empty(ld.customRoleIds) || !empty(ld.inlineRole)
        || ld.serviceToken != null || ld.defaultApiVersion != null;
    if (ld.type.inEnvironment()) {
      checkKey("spec.launchDarkly.project", ld.project, "project", problems);
      checkKey("spec.launchDarkly.environment", ld.environment, "environment", problems);
      if (tokenFields) {
        problems.add("spec.launchDarkly.role, customRoleIds, inlineRole, serviceToken and defaultApiVersion apply "
            + "to type accessToken only: remove them");
      }
    } else {
      if (ld.project != null || ld.environment != null) {
        problems.add("spec.launchDarkly.project and environment do not apply to an access token (its role says "
            + "what it may reach): remove them");
      }
      int ways = (ld.role != null ? 1 : 0) + (empty(ld.customRoleIds) ? 0 : 1) + (empty(ld.inlineRole) ? 0 : 1);
      if (ways != 1) {
        problems.add("spec.launchDarkly needs exactly one of role (reader, writer or admin), customRoleIds and "
            + "inlineRole for an access token");
      }
      if (ld.inlineRole != null) {
        for (int i = 0; i < ld.inlineRole.size(); i++) {
          LaunchDarklyStatement s = ld.inlineRole.get(i);
          if (s == null || !("allow".equals(s.effect) || "deny".equals(s.effect))
              || empty(s.actions) && empty(s.notActions) || empty(s.resources) && empty(s.notResources)) {
            problems.add("spec.launchDarkly.inlineRole[" + i + "] needs effect allow or deny, actions (or "
                + "notActions) and resources (or notResources)");
          }
        }
      }
      if (ld.defaultApiVersion != null && (ld.defaultApiVersion < 20000101 || ld.defaultApiVersion > 29991231)) {
        problems.add("spec.launchDarkly.defaultApiVersion " + ld.defaultApiVersion + " is not an API version: use a "
            + "date such as 20240415");
      }
    }
    if (ld.type.shared() && spec.rotation != null && spec.rotation.every != null) {
      problems.add("spec.rotation.every does not apply to " + ld.type.wire() + ": the environment's shared key is "
          + "reset only on an explicit rotation request (and where the provider allows it); remove it");
    }
    if (spec.adopt != null) {
      problems.add("spec.adopt is not supported for LaunchDarkly credentials: remove it (an environment's shared "
          + "key is held with type environmentSdkKey or environmentMobileKey instead)");
    }
  }

  private static void checkKey(String field, String value, String what, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add(field + " is missing: give the LaunchDarkly " + what + " key (not its name)");
    } else if (!LD_KEY.matcher(value).matches()) {
      problems.add(field + " '" + value + "' is not a LaunchDarkly " + what + " key: use letters, digits, '.', '_' "
          + "and '-'");
    }
  }

  private static boolean empty(List<?> list) {
    return list == null || list.isEmpty();
  }

  @Override
  public Optional<String> checkRequest(Provider provider, ApiKeySpec spec) {
    return LaunchDarklyPolicy.check(provider, spec.launchDarkly);
  }

  @Override
  public Optional<String> checkRotation(Provider provider, ApiKeySpec spec) {
    return LaunchDarklyPolicy.checkRotation(provider, spec.launchDarkly);
  }

  @Override
  public boolean followsVendorValue(ApiKeySpec spec) {
    return spec.launchDarkly != null && spec.launchDarkly.type != null && spec.launchDarkly.type.shared();
  }

  @Override
  public String clientSideId(LedgerKey key) {
    String recorded = LaunchDarklyKeyId.clientSideIdOf(key.id());
    if (recorded != null) {
      return recorded;
    }
    String identity = key.identity();
    int at = identity == null ? -1 : identity.indexOf(CLIENT_SIDE_ID);
    return at < 0 ? null : identity.substring(at + CLIENT_SIDE_ID.length());
  }

  @Override
  public String specIdentity(ApiKeySpec spec) {
    LaunchDarklyKeySpec ld = spec.launchDarkly;
    if (ld.type.inEnvironment()) {
      return "launchDarkly;type=" + ld.type.wire() + ";project=" + ld.project + ";environment=" + ld.environment;
    }
    return "launchDarkly;type=" + ld.type.wire() + ";role=" + (ld.role == null ? "" : ld.role.wire())
        + ";customRoleIds=" + (ld.customRoleIds == null ? "" : ld.customRoleIds.stream().sorted().distinct()
        .collect(Collectors.joining(","))) + ";inlineRole=" + (empty(ld.inlineRole) ? ""
        : LaunchDarklyIssuer.tokenBody(ld).get("inlineRole").toString()) + ";serviceToken="
        + ld.serviceTokenOrDefault() + ";defaultApiVersion=" + (ld.defaultApiVersion == null
        ? LaunchDarklyClient.API_VERSION : ld.defaultApiVersion);
  }

  /** The description of an SDK key or token; a shared key has no settings of ours. */
  @Override
  public String settings(ApiKeySpec spec) {
    LaunchDarklyKeySpec ld = spec.launchDarkly;
    return ld.type.shared() ? "" : "description=" + (ld.description == null ? "" : ld.description);
  }

  @Override
  public Connector connector(OkHttpClient http, Clock clock, Duration directoryTtl) {
    return (provider, credential) -> new LaunchDarklyIssuer(new LaunchDarklyClient(http, provider.baseUrl(),
        credential), clock);
  }
}
