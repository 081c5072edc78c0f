package dev.apikeyoperator.pacing;

import java.time.Duration;

/**
 * One of a tenant's call slots, held ({@link Pacing#trySlot}); closing it gives it back. Only a held slot can ask the
 * provider's pace for a permit, so a permit is never taken by a call that then finds no slot: a permit lost is a turn
 * of the vendor's pace lost.
 */
public final class Slot implements AutoCloseable {
  private final Runnable giveBack;
  private boolean closed;

  Slot(Runnable giveBack) {
    this.giveBack = giveBack;
  }

  /**
   * A permit for one vendor call by {@code who} of {@code tenant} (its namespace) from {@code throttle}, or how long
   * until the permit booked for it (see {@link Throttle}).
   */
  public Turn permit(Throttle throttle, String tenant, String who) {
    if (isClosed()) {
      throw new IllegalStateException("a slot given back grants no permit");
    }
    return throttle.acquire(tenant, who).<Turn>map(Turn.Wait::new).orElseGet(() -> new Turn.Permit(throttle));
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    giveBack.run();
  }

  /** What the holder of a slot gets from the provider's pace. */
  public sealed interface Turn {
    /** Call now; report how it went, so that the pace learns the vendor's rate. */
    final class Permit implements Turn {
      private final Throttle throttle;

      private Permit(Throttle throttle) {
        this.throttle = throttle;
      }

      /** The call went through. */
      public void succeeded() {
        throttle.recordSuccess();
      }
    }

    /** No permit before {@code duration} from now: one is booked for the caller then. */
    record Wait(Duration duration) implements Turn {}
  }
}
