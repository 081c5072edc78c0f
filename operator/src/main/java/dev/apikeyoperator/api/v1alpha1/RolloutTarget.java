package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A workload in the ApiKey's namespace that is restarted when the key in the Secret changes. */
public class RolloutTarget {
  /** Workload kinds that can be restarted. */
  public enum Kind { Deployment, StatefulSet, DaemonSet }

  @Required
  @JsonPropertyDescription("Deployment, StatefulSet or DaemonSet.")
  public Kind kind;

  @Required
  @JsonPropertyDescription("Name of the workload, in the ApiKey's namespace.")
  @Size(max = 253)
  public String name;
}
