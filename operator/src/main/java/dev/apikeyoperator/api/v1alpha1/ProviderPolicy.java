package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import io.fabric8.generator.annotation.Size;

/** What keys a provider may mint. Checked before any vendor call; a violation is PolicyDenied. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProviderPolicy {
  public static final String DEFAULT_STATSIG_SCOPE = "client_download_config_specs";

  @JsonPropertyDescription("Key types this provider may mint. Default [server_side, client_side]: admin keys only "
      + "where listed explicitly.")
  @Size(max = 3)
  public List<FmeKeyType> allowedTypes;

  @JsonPropertyDescription("Statsig key types this provider may mint. Default [SERVER, CLIENT]: CONSOLE keys (as "
      + "powerful as admin keys) only where listed explicitly.")
  @Size(max = 3)
  public List<StatsigKeyType> allowedStatsigTypes;

  @JsonPropertyDescription("Statsig scopes keys may carry. Default [client_download_config_specs]: console scopes "
      + "such as can_access_keys or omni_read_write only where listed explicitly.")
  @Size(max = 64)
  public List<@Size(max = 128) String> allowedStatsigScopes;

  @JsonPropertyDescription("Unleash token types this provider may mint. Default [backend, frontend].")
  @Size(max = 2)
  public List<UnleashTokenType> allowedUnleashTypes;

  @JsonPropertyDescription("Admin roles that may be requested. Default none.")
  @Size(max = 32)
  public List<FmeRole> allowedRoles = new ArrayList<>();

  @JsonPropertyDescription("Projects (names or ids; LaunchDarkly project keys) keys may belong to. Empty = any. Compared after name-to-id "
      + "resolution, so an id cannot get around a name rule.")
  @Size(max = 256)
  public List<@Size(max = 253) String> allowedProjects = new ArrayList<>();

  @JsonPropertyDescription("Environments (names or ids; LaunchDarkly environment keys) keys may be scoped to, FME, "
      + "Statsig and LaunchDarkly alike. Empty = any. "
      + "Compared after resolution.")
  @Size(max = 256)
  public List<@Size(max = 253) String> allowedEnvironments = new ArrayList<>();

  @JsonPropertyDescription("ClusterApiKeyProvider only: whether ApiKeys may adopt existing keys (spec.adopt). "
      + "Default false: an adopted key can be revoked by deleting its ApiKey, so allowing adoption trusts every "
      + "namespace this provider serves with every key of the vendor account. Ignored on an ApiKeyProvider, whose "
      + "tenant owns its account: adoption is always allowed there.")
  public Boolean allowAdoption;

  @JsonPropertyDescription("How many keys one namespace may have minted through this provider per hour, rotations "
      + "and replacements included. Default 60. More wait, and Synced=False (RateLimited) says until when.")
  @io.fabric8.generator.annotation.Min(1)
  @io.fabric8.generator.annotation.Max(100000)
  public Integer maxKeysPerHour;

  public static final int DEFAULT_MAX_KEYS_PER_HOUR = 60;

  @JsonPropertyDescription("LaunchDarkly credential types this provider may hold. Default [sdk, mobile, "
      + "environmentSdkKey, environmentMobileKey]: accessToken only where listed explicitly.")
  @Size(max = 5)
  public List<LaunchDarklyKeyType> allowedLaunchDarklyTypes;

  @JsonPropertyDescription("Built-in roles LaunchDarkly access tokens may carry. Default [reader]: writer and admin "
      + "only where listed.")
  @Size(max = 3)
  public List<LaunchDarklyRole> allowedLaunchDarklyRoles;

  @JsonPropertyDescription("LaunchDarkly custom role ids access tokens may carry. Default none.")
  @Size(max = 64)
  public List<@Size(max = 128) String> allowedCustomRoleIds = new ArrayList<>();

  @JsonPropertyDescription("May LaunchDarkly access tokens carry an inline role (a policy of their own)? Default "
      + "false.")
  public boolean allowInlineRoles;

  @JsonPropertyDescription("May an ApiKey's rotation request reset a LaunchDarkly environment's shared SDK or mobile "
      + "key? Default false: a reset breaks every other user of the environment.")
  public boolean allowSharedKeyReset;

  public List<LaunchDarklyKeyType> allowedLaunchDarklyTypesOrDefault() {
    return allowedLaunchDarklyTypes == null || allowedLaunchDarklyTypes.isEmpty()
        ? List.of(LaunchDarklyKeyType.SDK, LaunchDarklyKeyType.MOBILE, LaunchDarklyKeyType.ENVIRONMENT_SDK_KEY,
            LaunchDarklyKeyType.ENVIRONMENT_MOBILE_KEY) : allowedLaunchDarklyTypes;
  }

  public List<LaunchDarklyRole> allowedLaunchDarklyRolesOrDefault() {
    return allowedLaunchDarklyRoles == null || allowedLaunchDarklyRoles.isEmpty()
        ? List.of(LaunchDarklyRole.READER) : allowedLaunchDarklyRoles;
  }

  public List<StatsigKeyType> allowedStatsigTypesOrDefault() {
    return allowedStatsigTypes == null || allowedStatsigTypes.isEmpty()
        ? List.of(StatsigKeyType.SERVER, StatsigKeyType.CLIENT) : allowedStatsigTypes;
  }

  public List<String> allowedStatsigScopesOrDefault() {
    return allowedStatsigScopes == null || allowedStatsigScopes.isEmpty()
        ? List.of(DEFAULT_STATSIG_SCOPE) : allowedStatsigScopes;
  }

  public List<UnleashTokenType> allowedUnleashTypesOrDefault() {
    return allowedUnleashTypes == null || allowedUnleashTypes.isEmpty()
        ? List.of(UnleashTokenType.backend, UnleashTokenType.frontend) : allowedUnleashTypes;
  }

  public List<FmeKeyType> allowedTypesOrDefault() {
    return allowedTypes == null || allowedTypes.isEmpty()
        ? List.of(FmeKeyType.SERVER_SIDE, FmeKeyType.CLIENT_SIDE) : allowedTypes;
  }
}
