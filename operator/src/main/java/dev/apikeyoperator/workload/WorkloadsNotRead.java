package dev.apikeyoperator.workload;

import java.time.Duration;

/**
 * A reconcile was about to do what needs the workload caches (restart consumers, revoke a key that may be in use)
 * before they have synced, in the first seconds after start: it ends here, before anything changed, and comes back
 * in {@link #LOOK_AGAIN}, instead of waiting on a reconcile thread.
 */
public final class WorkloadsNotRead extends RuntimeException {
  public static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

  WorkloadsNotRead() {
    super("the workload caches have not synced yet", null, false, false);
  }
}
