package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The LaunchDarkly credentials an ApiKey can hold. */
public enum LaunchDarklyKeyType {
  /** A server-side SDK key of this ApiKey's own (SDK Keys API). */
  @JsonProperty("sdk") SDK("sdk"),
  /** A mobile key of this ApiKey's own (SDK Keys API). */
  @JsonProperty("mobile") MOBILE("mobile"),
  /** A REST API access token. */
  @JsonProperty("accessToken") ACCESS_TOKEN("accessToken"),
  /** The environment's one shared SDK key: read, never created nor revoked. */
  @JsonProperty("environmentSdkKey") ENVIRONMENT_SDK_KEY("environmentSdkKey"),
  /** The environment's one shared mobile key: read, never created nor revoked. */
  @JsonProperty("environmentMobileKey") ENVIRONMENT_MOBILE_KEY("environmentMobileKey");

  private final String wire;

  LaunchDarklyKeyType(String wire) {
    this.wire = wire;
  }

  /** The value the manifest uses. */
  public String wire() {
    return wire;
  }

  /** The environment's shared key: kept current, reset only when a rotation is asked for and allowed. */
  public boolean shared() {
    return this == ENVIRONMENT_SDK_KEY || this == ENVIRONMENT_MOBILE_KEY;
  }

  /** Keys that live in one project and environment (all but access tokens). */
  public boolean inEnvironment() {
    return this != ACCESS_TOKEN;
  }
}
