package dev.apikeyoperator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.MovingClock;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.api.v1alpha1.KeyStatus;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The status an ApiKey shows for each outcome of a reconcile, built in one place. */
class KeyStatusAggregatorTest {
  private final MovingClock clock = new MovingClock(Instant.parse("2026-01-01T12:00:00Z"));

  private static ApiKey apiKey(long generation, ApiKeyStatus status) {
    ApiKey k = new ApiKey();
    k.getMetadata().setName("checkout");
    k.getMetadata().setNamespace("shop");
    k.getMetadata().setGeneration(generation);
    k.setStatus(status);
    return k;
  }

  private static KeyStatus key(String name) {
    KeyStatus key = new KeyStatus();
    key.name = name;
    key.fingerprint = "sha256:" + name;
    return key;
  }

  private static KeyOutcome.Applied ready(String keyName) {
    return new KeyOutcome.Applied(Reason.KeyReady, "Key " + keyName + " is ready", "Generation applied",
        "checkout", key(keyName), null, null, null);
  }

  private static StatusCondition condition(ApiKeyStatus status, String type) {
    return Conditions.find(status.conditions, type).orElseThrow();
  }

  @Test
  void anAppliedSpecIsReadyAndSynced() {
    ApiKeyStatus status = KeyStatusAggregator.build(apiKey(3, null), ready("k1"), clock);
    assertThat(condition(status, Conditions.READY)).extracting(StatusCondition::getStatus,
        StatusCondition::getReason).containsExactly("True", "KeyReady");
    assertThat(condition(status, Conditions.SYNCED)).extracting(StatusCondition::getStatus,
        StatusCondition::getReason).containsExactly("True", "KeyReady");
    assertThat(status.observedGeneration).isEqualTo(3);
    assertThat(status.key.name).isEqualTo("k1");
    assertThat(status.secretName).isEqualTo("checkout");
  }

  @Test
  void readyStaysTrueWhileTheSecretStillHoldsAWorkingKey() {
    ApiKey shown = apiKey(2, KeyStatusAggregator.build(apiKey(1, null), ready("k1"), clock));
    KeyOutcome failed = new KeyOutcome.NotApplied(Reason.VendorError, "FME answered 500", null,
        new KeyOutcome.StillServing(Reason.KeyReady, "Key k1 keeps working"), Duration.ofSeconds(2));
    ApiKeyStatus status = KeyStatusAggregator.build(shown, failed, clock);
    assertThat(condition(status, Conditions.READY)).extracting(StatusCondition::getStatus,
        StatusCondition::getReason, StatusCondition::getMessage).containsExactly("True", "KeyReady",
        "Key k1 keeps working");
    assertThat(condition(status, Conditions.SYNCED)).extracting(StatusCondition::getStatus,
        StatusCondition::getReason, StatusCondition::getMessage).containsExactly("False", "VendorError",
        "FME answered 500");
    assertThat(status.key.name).as("the key served is still shown").isEqualTo("k1");
    assertThat(status.observedGeneration).isEqualTo(2);
  }

  @Test
  void withoutAWorkingKeyReadyIsFalseWithTheProblem() {
    KeyOutcome failed = new KeyOutcome.NotApplied(Reason.ProviderNotFound, "no provider", null, null, null);
    ApiKeyStatus status = KeyStatusAggregator.build(apiKey(1, null), failed, clock);
    assertThat(condition(status, Conditions.READY)).extracting(StatusCondition::getStatus,
        StatusCondition::getReason).containsExactly("False", "ProviderNotFound");
    assertThat(status.secretName).as("not known yet").isNull();
  }

  @Test
  void lastTransitionTimeMovesOnlyOnAFlipAndAnEqualOutcomeBuildsAnEqualStatus() {
    ApiKeyStatus first = KeyStatusAggregator.build(apiKey(1, null), ready("k1"), clock);
    clock.advance(Duration.ofMinutes(5));
    ApiKeyStatus again = KeyStatusAggregator.build(apiKey(1, first), ready("k1"), clock);
    assertThat(again).as("nothing to write").isEqualTo(first);
    KeyOutcome failed = new KeyOutcome.NotApplied(Reason.VendorError, "FME answered 500", null, null, null);
    ApiKeyStatus flipped = KeyStatusAggregator.build(apiKey(1, again), failed, clock);
    assertThat(condition(flipped, Conditions.READY).getLastTransitionTime()).isEqualTo("2026-01-01T12:05:00Z");
    clock.advance(Duration.ofMinutes(5));
    KeyOutcome other = new KeyOutcome.NotApplied(Reason.RateLimited, "wait", null, null, null);
    ApiKeyStatus stillFalse = KeyStatusAggregator.build(apiKey(1, flipped), other, clock);
    assertThat(condition(stillFalse, Conditions.READY).getLastTransitionTime()).isEqualTo("2026-01-01T12:05:00Z");
  }

  @Test
  void aWarningOncePerNewFailureReason() {
    KeyOutcome failed = new KeyOutcome.NotApplied(Reason.VendorError, "FME answered 500", null, null, null);
    ApiKey fresh = apiKey(1, null);
    assertThat(KeyStatusAggregator.newFailure(fresh, failed)).contains(Reason.VendorError);
    ApiKey shown = apiKey(1, KeyStatusAggregator.build(fresh, failed, clock));
    assertThat(KeyStatusAggregator.newFailure(shown, failed)).as("already shown").isEmpty();
    KeyOutcome other = new KeyOutcome.NotApplied(Reason.PolicyDenied, "denied", null, null, null);
    assertThat(KeyStatusAggregator.newFailure(shown, other)).contains(Reason.PolicyDenied);
    KeyOutcome paced = new KeyOutcome.NotApplied(Reason.RateLimited, "wait", null, null, null);
    assertThat(KeyStatusAggregator.newFailure(fresh, paced)).as("pacing is no failure").isEmpty();
    KeyOutcome indeterminate = new KeyOutcome.NotApplied(Reason.CreationIndeterminate, "?", null, null, null);
    assertThat(KeyStatusAggregator.newFailure(fresh, indeterminate)).as("has an event of its own").isEmpty();
    assertThat(KeyStatusAggregator.newFailure(fresh, ready("k1"))).isEmpty();
  }

  @Test
  void aDeferredOutcomeChangesNothing() {
    ApiKeyStatus shown = KeyStatusAggregator.build(apiKey(1, null), ready("k1"), clock);
    assertThat(KeyStatusAggregator.build(apiKey(1, shown), new KeyOutcome.Deferred(Duration.ofSeconds(1)), clock))
        .isEqualTo(shown);
  }
}
