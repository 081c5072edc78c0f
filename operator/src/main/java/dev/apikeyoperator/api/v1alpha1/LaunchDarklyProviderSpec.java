package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A LaunchDarkly account, reached through its REST API (v2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LaunchDarklyProviderSpec {
  public static final String DEFAULT_BASE_URL = "https://app.launchdarkly.com";
  public static final String DEFAULT_READ_BACK_INTERVAL = "10m";

  /** The access token. */
  public static class Credentials {
    @Required
    @JsonPropertyDescription("Secret holding a LaunchDarkly access token that may manage SDK keys (and access "
        + "tokens, where accessToken ApiKeys are allowed). Sent as Authorization: <token>.")
    public CredentialsSecretRef secretRef;
  }

  @Default(DEFAULT_BASE_URL)
  @JsonPropertyDescription("REST API base URL. Default https://app.launchdarkly.com; https://app.eu.launchdarkly.com "
      + "and https://app.launchdarkly.us for the EU and federal instances.")
  @Size(max = 2048)
  public String baseUrl = DEFAULT_BASE_URL;

  @Required
  @JsonPropertyDescription("The access token the operator calls the REST API with.")
  public Credentials credentials;

  @Default(DEFAULT_READ_BACK_INTERVAL)
  @JsonPropertyDescription("How often live keys are read back: a key deleted outside the operator is noticed, and an "
      + "environment's shared key reset in LaunchDarkly reaches the Secret (Go-style duration, default 10m).")
  @Size(max = 32)
  public String readBackInterval = DEFAULT_READ_BACK_INTERVAL;

  public String baseUrlOrDefault() {
    return baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl;
  }
}
