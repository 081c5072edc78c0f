package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** What Unleash API token to create. Unleash cannot change a token: any change here means a new token. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class UnleashKeySpec {
  @Required
  @JsonPropertyDescription("backend (server-side SDKs) or frontend (Frontend API, client-side SDKs). Changing it "
      + "replaces the token.")
  public UnleashTokenType type;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("The Unleash environment the token reads, e.g. production. Changing it replaces the token.")
  public String environment;

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Projects the token reads (names), or [\"*\"] for every project where the provider's "
      + "policy allows all projects. Changing them replaces the token.")
  public List<@Size(max = 253) String> projects = new ArrayList<>();

  @Size(max = 32)
  @JsonPropertyDescription("Optional: every token minted expires at Unleash this long after it was minted (Go-style "
      + "duration, e.g. 2160h), so a token the operator lost track of dies by itself. spec.rotation.every plus the "
      + "grace period must come before it.")
  public String expireAfter;
}
