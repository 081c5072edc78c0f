package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A condition, as Kubernetes API conventions define it, with descriptions that kubectl explain shows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StatusCondition {
  @JsonPropertyDescription("Condition type: Ready (a working key is served; providers: usable) and, on ApiKeys, Synced (the "
      + "current generation is applied).")
  public String type;

  @JsonPropertyDescription("True, False or Unknown.")
  public String status;

  @JsonPropertyDescription("CamelCase reason, e.g. KeyReady, InvalidSpec, PolicyDenied, CreationIndeterminate.")
  public String reason;

  @JsonPropertyDescription("What is wrong and how to fix it, in plain words.")
  public String message;

  @JsonPropertyDescription("The metadata.generation the condition was set for.")
  public Long observedGeneration;

  @JsonPropertyDescription("When status last changed (RFC 3339).")
  public String lastTransitionTime;

  public String getType() {
    return type;
  }

  public String getStatus() {
    return status;
  }

  public String getReason() {
    return reason;
  }

  public String getMessage() {
    return message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusCondition c && Objects.equals(type, c.type) && Objects.equals(status, c.status)
        && Objects.equals(reason, c.reason) && Objects.equals(message, c.message)
        && Objects.equals(observedGeneration, c.observedGeneration)
        && Objects.equals(lastTransitionTime, c.lastTransitionTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, observedGeneration, lastTransitionTime);
  }

  @Override
  public String toString() {
    return type + "=" + status + " (" + reason + "): " + message;
  }
}
