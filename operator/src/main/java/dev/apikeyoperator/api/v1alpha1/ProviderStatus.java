package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of a provider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProviderStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Ready condition: CredentialsValid, CredentialsInvalid, SecretNotFound, InsecureEndpoint.")
  public List<StatusCondition> conditions = new ArrayList<>();

  @JsonPropertyDescription("When the credentials were last checked at the vendor (RFC 3339); a restarted operator "
      + "trusts a recent check instead of calling the vendor again.")
  public String checkedAt;

  @JsonPropertyDescription("How many ApiKeys use this provider.")
  public Integer keysInUse;

  @JsonPropertyDescription("Who uses this provider, at most 50 entries; while any remain, the provider is not "
      + "deleted. An ApiKeyProvider lists its ApiKeys (namespace/name); a ClusterApiKeyProvider counts them per "
      + "namespace (\"shop: 3\"), so that no tenant reads another's ApiKey names.")
  public List<String> usedBy;

  @Override
  public boolean equals(Object o) {
    return o instanceof ProviderStatus s && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions) && Objects.equals(checkedAt, s.checkedAt)
        && Objects.equals(keysInUse, s.keysInUse)
        && Objects.equals(usedBy, s.usedBy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, checkedAt, keysInUse, usedBy);
  }
}
