package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import io.fabric8.generator.annotation.Size;

/** Namespaces a ClusterApiKeyProvider serves: listed by name OR matching the selector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AllowedNamespaces {
  @JsonPropertyDescription("Namespace names served.")
  @Size(max = 1000)
  public List<@Size(max = 63) String> names = new ArrayList<>();

  @JsonPropertyDescription("Label selector of namespaces served (in addition to names). Label changes take effect "
      + "without a restart.")
  public NamespaceSelector selector;
}
