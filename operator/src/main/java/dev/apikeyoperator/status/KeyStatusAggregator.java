package dev.apikeyoperator.status;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import java.time.Clock;
import java.util.Optional;

/**
 * Builds an ApiKey's status once per reconcile from its {@link KeyOutcome}: Ready says whether a working key is
 * served, Synced whether this generation is applied (docs/concepts/ready-and-synced.md). lastTransitionTime moves
 * only on a flip, so an outcome that changes nothing builds an equal status, and nothing is written.
 */
public final class KeyStatusAggregator {
  private KeyStatusAggregator() {}

  /** The status {@code outcome} gives the ApiKey; for a deferred or released one, the status as it is. */
  public static ApiKeyStatus build(ApiKey apiKey, KeyOutcome outcome, Clock clock) {
    ApiKeyStatus status = StatusBuilder.copyOf(apiKey.getStatus());
    if (outcome instanceof KeyOutcome.Applied a) {
      status.secretName = a.secretName();
      status.key = a.key();
      status.previousKeys = a.previousKeys();
      status.nextRotationAt = a.nextRotationAt();
      StatusBuilder.setReadyAndSynced(status, apiKey, a.reason(), a.message(), null, a.syncedMessage(), clock);
    } else if (outcome instanceof KeyOutcome.NotApplied n) {
      if (n.secretName() != null) {
        status.secretName = n.secretName();
      }
      Optional<KeyOutcome.StillServing> serving = Optional.ofNullable(n.serving());
      StatusBuilder.setReadyAndSynced(status, apiKey, serving.map(KeyOutcome.StillServing::reason).orElse(n.reason()),
          serving.map(KeyOutcome.StillServing::message).orElse(n.message()), n.reason(), n.message(), clock);
    }
    return status;
  }

  /**
   * The reason worth a Warning event: a failure the ApiKey did not show already (an indeterminate creation has an
   * event of its own, written before it is recorded).
   */
  public static Optional<Reason> newFailure(ApiKey apiKey, KeyOutcome outcome) {
    if (!(outcome instanceof KeyOutcome.NotApplied n) || !n.reason().failure()
        || n.reason() == Reason.CreationIndeterminate) {
      return Optional.empty();
    }
    boolean shown = apiKey.getStatus() != null && StatusBuilder.problemReason(apiKey.getStatus().conditions)
        .filter(n.reason().name()::equals).isPresent();
    return shown ? Optional.empty() : Optional.of(n.reason());
  }

  /** The reason the outcome reports (null for one that changes nothing). */
  public static Reason reason(KeyOutcome outcome) {
    if (outcome instanceof KeyOutcome.Applied a) {
      return a.reason();
    }
    return outcome instanceof KeyOutcome.NotApplied n ? n.reason() : null;
  }
}
