package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of an ApiKey. Never holds a key value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiKeyStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Ready (the Secret holds a working key) and Synced (the spec of this generation is applied), "
      + "each with a reason, a plain-words message and observedGeneration.")
  public List<StatusCondition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The current key (never its value).")
  public KeyStatus key;

  @JsonPropertyDescription("Replaced keys awaiting revocation.")
  public List<PreviousKeyStatus> previousKeys;

  @JsonPropertyDescription("When the key is next rotated (RFC 3339), when a rotation schedule is set.")
  public String nextRotationAt;

  @JsonPropertyDescription("Name of the Secret that holds the key.")
  public String secretName;

  @JsonPropertyDescription("Workloads in this namespace whose pods mount or read the Secret (volumes, env, "
      + "envFrom), kept current as workloads change; sorted by kind, then name; at most 100 are listed.")
  @io.fabric8.generator.annotation.Size(max = ApiKeyStatus.MAX_CONSUMERS)
  public List<ConsumerStatus> consumers;

  /** How many consumers status.consumers lists at most (docs/guides/consumers.md). */
  public static final int MAX_CONSUMERS = 100;

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKeyStatus s && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions) && Objects.equals(key, s.key)
        && Objects.equals(previousKeys, s.previousKeys) && Objects.equals(nextRotationAt, s.nextRotationAt)
        && Objects.equals(secretName, s.secretName) && Objects.equals(consumers, s.consumers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, key, previousKeys, nextRotationAt, secretName, consumers);
  }
}
