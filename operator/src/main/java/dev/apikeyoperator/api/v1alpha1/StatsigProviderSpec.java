package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Statsig project, reached through its Console API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StatsigProviderSpec {
  public static final String DEFAULT_BASE_URL = "https://statsigapi.net/console/v1";
  public static final String DEFAULT_READ_BACK_INTERVAL = "10m";

  /** The console key. */
  public static class Credentials {
    @Required
    @JsonPropertyDescription("Secret holding a Statsig Console API key with the can_access_keys scope.")
    public CredentialsSecretRef secretRef;
  }

  @Default(DEFAULT_BASE_URL)
  @JsonPropertyDescription("Console API base URL. Default https://statsigapi.net/console/v1.")
  @Size(max = 2048)
  public String baseUrl = DEFAULT_BASE_URL;

  @Required
  @JsonPropertyDescription("The console key the operator calls the Console API with.")
  public Credentials credentials;

  @Default(DEFAULT_READ_BACK_INTERVAL)
  @JsonPropertyDescription("How often live keys are read back to detect a revocation outside the operator "
      + "(Go-style duration, default 10m).")
  @Size(max = 32)
  public String readBackInterval = DEFAULT_READ_BACK_INTERVAL;

  public String baseUrlOrDefault() {
    return baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl;
  }
}
