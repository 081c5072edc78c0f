package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** One statement of a LaunchDarkly inline role (a custom policy carried by a token). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class LaunchDarklyStatement {
  @JsonPropertyDescription("allow or deny.")
  @Size(max = 5)
  public String effect;

  @JsonPropertyDescription("Actions the statement applies to, e.g. updateOn.")
  @Size(max = 64)
  public List<@Size(max = 128) String> actions = new ArrayList<>();

  @JsonPropertyDescription("Resources the statement applies to, e.g. proj/*:env/production:flag/*.")
  @Size(max = 64)
  public List<@Size(max = 512) String> resources = new ArrayList<>();

  @JsonPropertyDescription("Actions the statement does not apply to.")
  @Size(max = 64)
  public List<@Size(max = 128) String> notActions = new ArrayList<>();

  @JsonPropertyDescription("Resources the statement does not apply to.")
  @Size(max = 64)
  public List<@Size(max = 512) String> notResources = new ArrayList<>();
}
