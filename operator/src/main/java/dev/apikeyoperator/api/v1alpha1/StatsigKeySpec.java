package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** What Statsig key to create. Only the type is fixed for a key's life; the rest is updated in place. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class StatsigKeySpec {
  @Required
  @JsonPropertyDescription("SERVER, CLIENT or CONSOLE. Changing it replaces the key.")
  public StatsigKeyType type;

  @Required
  @Size(min = 1, max = 900)
  @JsonPropertyDescription("Description shown in the Statsig console. The operator appends the key's name in "
      + "parentheses, so that every key can be found again by listing. Updated in place.")
  public String description;

  @JsonPropertyDescription("Scopes of the key (e.g. client_download_config_specs, omni_read_only). Updated in place.")
  @Size(max = 64)
  public List<@Size(max = 128) String> scopes = new ArrayList<>();

  @JsonPropertyDescription("Environments the key is limited to (e.g. production). Updated in place.")
  @Size(max = 64)
  public List<@Size(max = 253) String> environments = new ArrayList<>();

  @JsonPropertyDescription("Primary target app. Updated in place.")
  @Size(max = 253)
  public String targetApp;

  @JsonPropertyDescription("Secondary target apps. Updated in place.")
  @Size(max = 64)
  public List<@Size(max = 253) String> secondaryTargetApps = new ArrayList<>();
}
