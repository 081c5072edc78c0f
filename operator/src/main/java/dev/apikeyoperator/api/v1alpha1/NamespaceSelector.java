package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.fabric8.generator.annotation.Size;

/** A Kubernetes label selector over namespace labels (matchLabels AND matchExpressions). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class NamespaceSelector {
  /** One matchExpressions entry. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Requirement {
    @JsonPropertyDescription("Label key.")
    @Size(max = 317)
    public String key;

    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    @Size(max = 16)
    public String operator;

    @JsonPropertyDescription("Values for In and NotIn.")
    @Size(max = 100)
    public List<@Size(max = 63) String> values = new ArrayList<>();
  }

  @JsonPropertyDescription("Labels the namespace must carry, all of them.")
  @Size(max = 64)
  public Map<String, @Size(max = 63) String> matchLabels = new LinkedHashMap<>();

  @JsonPropertyDescription("Label requirements the namespace must meet, all of them.")
  @Size(max = 32)
  public List<Requirement> matchExpressions = new ArrayList<>();
}
