package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An Unleash instance (self-hosted or hosted), reached through its Admin API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UnleashProviderSpec {
  /** The admin credential. */
  public static class Credentials {
    @Required
    @JsonPropertyDescription("Secret holding an Unleash admin API token or a personal access token that may create "
        + "and delete API tokens.")
    public CredentialsSecretRef secretRef;
  }

  @Required
  @JsonPropertyDescription("The Unleash server's root URL, e.g. https://unleash.example.com (its API is under /api). "
      + "Required: every Unleash instance has a URL of its own. Also what the Secret template variable serverUrl "
      + "holds.")
  @Size(max = 2048)
  public String baseUrl;

  @Required
  @JsonPropertyDescription("The token the operator calls the Admin API with.")
  public Credentials credentials;
}
