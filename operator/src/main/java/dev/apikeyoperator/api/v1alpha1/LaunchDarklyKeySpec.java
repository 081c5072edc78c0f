package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * What LaunchDarkly credential to hold. The type, project, environment, roles, serviceToken and defaultApiVersion are
 * fixed for a key's life (changing them replaces it); the description is updated in place.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class LaunchDarklyKeySpec {
  @Required
  @JsonPropertyDescription("sdk or mobile: a key of this ApiKey's own (SDK Keys API, several per environment need an "
      + "Enterprise or Guardian plan); accessToken: a REST API token; environmentSdkKey or environmentMobileKey: the "
      + "environment's one shared key, read into the Secret and kept current, never created nor revoked.")
  public LaunchDarklyKeyType type;

  @JsonPropertyDescription("LaunchDarkly project key (not its name). All types but accessToken.")
  @Size(max = 128)
  public String project;

  @JsonPropertyDescription("LaunchDarkly environment key (not its name). All types but accessToken.")
  @Size(max = 128)
  public String environment;

  @JsonPropertyDescription("Description shown in LaunchDarkly. Updated in place on sdk and mobile keys and tokens.")
  @Size(max = 512)
  public String description;

  @JsonPropertyDescription("accessToken: the built-in role (reader, writer or admin); or give customRoleIds or "
      + "inlineRole instead.")
  public LaunchDarklyRole role;

  @JsonPropertyDescription("accessToken: custom role ids (keys) the token carries.")
  @Size(max = 32)
  public List<@Size(max = 128) String> customRoleIds = new ArrayList<>();

  @JsonPropertyDescription("accessToken: an inline policy the token carries.")
  @Size(max = 32)
  public List<LaunchDarklyStatement> inlineRole = new ArrayList<>();

  @JsonPropertyDescription("accessToken: a service token (not tied to the member who created it). Default true.")
  public Boolean serviceToken;

  @JsonPropertyDescription("accessToken: the REST API version the token defaults to, e.g. 20240415. Changing it "
      + "replaces the token.")
  public Integer defaultApiVersion;

  public boolean serviceTokenOrDefault() {
    return serviceToken == null || serviceToken;
  }
}
