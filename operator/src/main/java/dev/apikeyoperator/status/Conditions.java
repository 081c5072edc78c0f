package dev.apikeyoperator.status;

import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The single place that writes conditions. lastTransitionTime moves only when the status flips, and the list
 * stays sorted, so a write that changes nothing yields an equal list (and no API call).
 */
public final class Conditions {
  public static final String READY = "Ready";
  /** Whether the spec of the current generation is applied (an ApiKey's second condition, Crossplane's pair). */
  public static final String SYNCED = "Synced";

  private Conditions() {}

  public static Optional<StatusCondition> find(List<StatusCondition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Returns a new list with the condition of {@code type} set. */
  public static List<StatusCondition> set(List<StatusCondition> existing, String type, boolean status, String reason,
      String message, Long observedGeneration, Clock clock) {
    String statusText = status ? "True" : "False";
    Optional<StatusCondition> previous = find(existing, type);
    String transition = previous.filter(p -> statusText.equals(p.getStatus()))
        .map(StatusCondition::getLastTransitionTime)
        .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    StatusCondition updated = new StatusCondition();
    updated.type = type;
    updated.status = statusText;
    updated.reason = reason;
    updated.message = message;
    updated.observedGeneration = observedGeneration;
    updated.lastTransitionTime = transition;
    List<StatusCondition> result = new ArrayList<>();
    if (existing != null) {
      existing.stream().filter(c -> !Objects.equals(type, c.getType())).forEach(result::add);
    }
    result.add(updated);
    result.sort(Comparator.comparing(StatusCondition::getType));
    return result;
  }
}
