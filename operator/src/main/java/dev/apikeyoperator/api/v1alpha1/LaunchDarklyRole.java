package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The built-in roles of a LaunchDarkly access token. */
public enum LaunchDarklyRole {
  @JsonProperty("reader") READER("reader"),
  @JsonProperty("writer") WRITER("writer"),
  @JsonProperty("admin") ADMIN("admin");

  private final String wire;

  LaunchDarklyRole(String wire) {
    this.wire = wire;
  }

  /** The value the vendor's API and the manifest use. */
  public String wire() {
    return wire;
  }
}
