package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A workload in the ApiKey's namespace whose pods mount or read the key's Secret (docs/guides/consumers.md). */
public class ConsumerStatus {
  /** The workload kinds whose pod spec is read; Jobs and Pods only when no controller owns them. */
  public enum Kind { CronJob, DaemonSet, Deployment, Job, Pod, StatefulSet }

  @JsonPropertyDescription("Deployment, StatefulSet, DaemonSet, CronJob, Job or Pod.")
  public Kind kind;

  @JsonPropertyDescription("Name of the workload, in the ApiKey's namespace.")
  public String name;

  public ConsumerStatus() {}

  public ConsumerStatus(Kind kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsumerStatus c && kind == c.kind && Objects.equals(name, c.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name);
  }

  @Override
  public String toString() {
    return kind + " " + name;
  }
}
