package dev.apikeyoperator.customresource;

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

  @JsonPropertyDescription("Projects (names or ids) keys may belong to. Empty = any. Compared after name-to-id "
      + "resolution, so an id cannot get around a name rule.")
  @Size(max = 256)
  public List<@Size(max = 253) String> allowedProjects = new ArrayList<>();

  @JsonPropertyDescription("Environments (names or ids) keys may be scoped to, FME and Statsig alike. Empty = any. "
      + "Compared after resolution.")
  @Size(max = 256)
  public List<@Size(max = 253) String> allowedEnvironments = new ArrayList<>();

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
