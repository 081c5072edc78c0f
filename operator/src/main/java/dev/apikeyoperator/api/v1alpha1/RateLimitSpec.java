package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A client-side cap on vendor calls that create or revoke keys, shared by every key on the provider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimitSpec {
  @JsonPropertyDescription("Sustained rate of vendor calls per second (e.g. 3).")
  public Double requestsPerSecond;

  @JsonPropertyDescription("How many calls may go at once after a quiet period. Default: requestsPerSecond rounded "
      + "up.")
  public Integer burst;
}
