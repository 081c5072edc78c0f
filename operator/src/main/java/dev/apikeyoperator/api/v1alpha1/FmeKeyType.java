package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The three kinds of Harness FME (Split) API keys. */
public enum FmeKeyType {
  @JsonProperty("admin") ADMIN("admin"),
  @JsonProperty("server_side") SERVER_SIDE("server_side"),
  @JsonProperty("client_side") CLIENT_SIDE("client_side");

  private final String wire;

  FmeKeyType(String wire) {
    this.wire = wire;
  }

  /** The value the vendor's Admin API and the manifest use. */
  public String wire() {
    return wire;
  }
}
