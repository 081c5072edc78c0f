package dev.apikeyoperator.status;

import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.api.v1alpha1.ProviderStatus;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the status of all three kinds the same way: a copy of what is there, the Ready condition set through
 * {@link Conditions} (lastTransitionTime moves only on a flip), observedGeneration, and a patch only when
 * something changed.
 */
public final class StatusBuilder {
  private StatusBuilder() {}

  /** The reason the resource's Ready condition shows now, if any. */
  public static Optional<String> readyReason(List<StatusCondition> conditions) {
    return Conditions.find(conditions, Conditions.READY).map(StatusCondition::getReason);
  }

  /** The conditions with Ready set to {@code reason}, as observed at the owner's generation. */
  public static List<StatusCondition> ready(List<StatusCondition> existing, HasMetadata owner,
      ConditionReason reason, String message, Clock clock) {
    return Conditions.set(existing == null ? new ArrayList<>() : existing, Conditions.READY, reason.ready(),
        reason.name(), message, owner.getMetadata().getGeneration(), clock);
  }

  /** A copy of an ApiKey's status (or an empty one), to be changed and compared with the original. */
  public static ApiKeyStatus copyOf(ApiKeyStatus s) {
    ApiKeyStatus c = new ApiKeyStatus();
    if (s != null) {
      c.observedGeneration = s.observedGeneration;
      c.conditions = s.conditions == null ? new ArrayList<>() : new ArrayList<>(s.conditions);
      c.key = s.key;
      c.previousKeys = s.previousKeys;
      c.nextRotationAt = s.nextRotationAt;
      c.secretName = s.secretName;
      c.consumers = s.consumers;
    }
    return c;
  }

  /** Sets an ApiKey's Ready condition and observedGeneration. */
  public static void setReady(ApiKeyStatus status, HasMetadata owner, ConditionReason reason, String message,
      Clock clock) {
    status.conditions = ready(status.conditions, owner, reason, message, clock);
    status.observedGeneration = owner.getMetadata().getGeneration();
  }

  /**
   * Sets an ApiKey's two conditions and observedGeneration: Ready (is a working key served?) from
   * {@code readyReason}, and Synced (is this generation applied?), True with the Ready reason or False with
   * {@code problem}'s.
   */
  public static void setReadyAndSynced(ApiKeyStatus status, HasMetadata owner, ConditionReason readyReason,
      String readyMessage, ConditionReason problem, String syncedMessage, Clock clock) {
    setReady(status, owner, readyReason, readyMessage, clock);
    boolean synced = problem == null;
    status.conditions = Conditions.set(status.conditions, Conditions.SYNCED, synced,
        (synced ? readyReason : problem).name(), syncedMessage, owner.getMetadata().getGeneration(), clock);
  }

  /** The reason of the problem an ApiKey shows (Synced's when it has one, else Ready's), if any. */
  public static Optional<String> problemReason(List<StatusCondition> conditions) {
    return Conditions.find(conditions, Conditions.SYNCED).map(StatusCondition::getReason)
        .or(() -> readyReason(conditions));
  }

  /**
   * A provider's status: its Ready condition, when it was checked, how many ApiKeys use it, and who (at most
   * {@code maxListed} entries).
   */
  public static ProviderStatus provider(ProviderStatus old, HasMetadata owner, ConditionReason reason,
      String message, Instant checkedAt, int keysInUse, List<String> users, int maxListed, Clock clock) {
    ProviderStatus status = new ProviderStatus();
    status.conditions = ready(old == null ? null : old.conditions, owner, reason, message, clock);
    status.observedGeneration = owner.getMetadata().getGeneration();
    status.checkedAt = checkedAt.truncatedTo(ChronoUnit.SECONDS).toString();
    status.keysInUse = keysInUse;
    status.usedBy = users.isEmpty() ? null : users.subList(0, Math.min(maxListed, users.size()));
    return status;
  }

  /** Patches the status only when it changed (an equal status costs no API call). */
  public static <S, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(R resource, S status) {
    if (status.equals(resource.getStatus())) {
      return UpdateControl.noUpdate();
    }
    resource.setStatus(status);
    return UpdateControl.patchStatus(resource);
  }
}
