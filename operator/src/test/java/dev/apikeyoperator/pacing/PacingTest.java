package dev.apikeyoperator.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikeyoperator.MovingClock;
import dev.apikeyoperator.api.v1alpha1.RateLimitSpec;
import org.junit.jupiter.api.Test;

/** The way into pacing: a slot, then a permit from a held slot, then the call. */
class PacingTest {
  private final MovingClock clock = new MovingClock();
  private final Pacing pacing = new Pacing(1, clock);

  private static RateLimitSpec perSecond(double rate) {
    RateLimitSpec limit = new RateLimitSpec();
    limit.requestsPerSecond = rate;
    limit.burst = 1;
    return limit;
  }

  @Test
  void aHeldSlotGetsAPermitOrAWaitAndAGivenBackSlotGetsNothing() {
    Throttle throttle = pacing.throttle("provider-a", perSecond(1));
    Slot slot = pacing.trySlot("namespace/shop").orElseThrow();
    assertThat(pacing.trySlot("namespace/shop")).as("one slot per tenant here").isEmpty();

    assertThat(slot.permit(throttle, "shop", "k1")).isInstanceOf(Slot.Turn.Permit.class);
    Slot.Turn second = slot.permit(throttle, "shop", "k2");
    assertThat(second).isInstanceOf(Slot.Turn.Wait.class);
    assertThat(((Slot.Turn.Wait) second).duration()).isPositive();

    slot.close();
    assertThatThrownBy(() -> slot.permit(throttle, "shop", "k3")).isInstanceOf(IllegalStateException.class);
    assertThat(pacing.trySlot("namespace/shop")).as("given back").isPresent();
  }

  @Test
  void aProviderKeepsItsPaceAcrossLookUpsAndTakesItsChangedLimit() {
    Throttle first = pacing.throttle("provider-a", perSecond(1));
    assertThat(pacing.throttle("provider-a", perSecond(1))).isSameAs(first);
    assertThat(pacing.throttle("provider-b", perSecond(1))).isNotSameAs(first);

    try (Slot slot = pacing.trySlot("namespace/shop").orElseThrow()) {
      assertThat(slot.permit(first, "shop", "k1")).isInstanceOf(Slot.Turn.Permit.class);
      pacing.throttle("provider-a", null); // the rateLimit was removed: no pace of its own
      assertThat(slot.permit(first, "shop", "k2")).isInstanceOf(Slot.Turn.Permit.class);
    }
  }
}
