package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;

/** When the key is replaced by a fresh one, and how long the replaced key stays valid. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@io.fabric8.generator.annotation.ValidationRule(value = "!has(self.every) || duration(self.every) > "
    + "duration(has(self.gracePeriod) ? self.gracePeriod : '" + RotationSpec.DEFAULT_GRACE_PERIOD + "')",
    message = "rotation.every must be longer than rotation.gracePeriod")
public class RotationSpec {
  public static final String DEFAULT_GRACE_PERIOD = "1h";

  @JsonPropertyDescription("Rotate on this schedule (Go-style duration such as 720h or 90m, counted from the key's "
      + "creation). Omitted: no scheduled rotation.")
  @Size(max = 32)
  public String every;

  @Default(DEFAULT_GRACE_PERIOD)
  @JsonPropertyDescription("How long a replaced key stays valid after the Secret holds its successor, before it is "
      + "revoked. Default 1h.")
  @Size(max = 32)
  public String gracePeriod;
}
