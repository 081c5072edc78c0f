package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Which provider (vendor account and credentials) mints this key. */
public class ProviderRef {
  /** Kinds of provider an ApiKey can name. */
  public enum Kind { ApiKeyProvider, ClusterApiKeyProvider }

  @Default("ApiKeyProvider")
  @JsonPropertyDescription("ApiKeyProvider (in this namespace; the default) or ClusterApiKeyProvider.")
  public Kind kind = Kind.ApiKeyProvider;

  @Required
  @JsonPropertyDescription("Name of the provider.")
  @Size(max = 253)
  public String name;

  public Kind kindOrDefault() {
    return kind == null ? Kind.ApiKeyProvider : kind;
  }
}
