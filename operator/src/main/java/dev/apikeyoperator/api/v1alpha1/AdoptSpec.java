package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Takes an existing vendor key under management instead of creating one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdoptSpec {
  /** Where the existing key's value is. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class KeySecretRef {
    @Required
    @JsonPropertyDescription("Name of a Secret in the ApiKey's namespace that holds the existing key.")
    @Size(max = 253)
    public String name;

    @JsonPropertyDescription("Data key holding the value. Default: apiKey.")
    @Size(max = 253)
    public String key;
  }

  @Required
  @JsonPropertyDescription("The Secret that holds the existing key's value. If it is also spec.secret.name, the "
      + "operator takes that Secret over.")
  public KeySecretRef secretRef;

  @JsonPropertyDescription("The key's vendor id, when known (revocation then uses it instead of the value).")
  @Size(max = 253)
  public String id;
}
