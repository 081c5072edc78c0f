package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Where the provider's admin credential is stored. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialsSecretRef {
  @Required
  @JsonPropertyDescription("Name of the Secret holding the vendor admin credential.")
  @Size(max = 253)
  public String name;

  @JsonPropertyDescription("Namespace of the Secret. ClusterApiKeyProvider: required. ApiKeyProvider: not allowed "
      + "(it reads from its own namespace).")
  @Size(max = 63)
  public String namespace;

  @Default("token")
  @JsonPropertyDescription("Data key in the Secret that holds the credential. Default: token.")
  @Size(max = 253)
  public String key;

  public String keyOrDefault() {
    return key == null || key.isBlank() ? "token" : key;
  }
}
