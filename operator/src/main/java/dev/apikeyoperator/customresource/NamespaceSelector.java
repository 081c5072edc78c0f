package dev.apikeyoperator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Kubernetes label selector over namespace labels (matchLabels AND matchExpressions). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class NamespaceSelector {
  /** One matchExpressions entry. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static class Requirement {
    @JsonPropertyDescription("Label key.")
    public String key;

    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    public String operator;

    @JsonPropertyDescription("Values for In and NotIn.")
    public List<String> values = new ArrayList<>();
  }

  @JsonPropertyDescription("Labels the namespace must carry, all of them.")
  public Map<String, String> matchLabels = new LinkedHashMap<>();

  @JsonPropertyDescription("Label requirements the namespace must meet, all of them.")
  public List<Requirement> matchExpressions = new ArrayList<>();
}
