package dev.apikeyoperator.lifecycle;

/**
 * A reconcile was about to call its vendor (or read its credential) while all of its namespace's call slots were
 * taken (docs/concepts/guarantees.md 7): it ends here, before any intent is written, and comes back soon. Nothing about the
 * ApiKey changed, so its status is not touched.
 */
public final class SlotsTaken extends RuntimeException {
  private final String tenant;

  public SlotsTaken(String tenant) {
    super("all vendor-call slots of " + tenant + " are taken", null, false, false);
    this.tenant = tenant;
  }

  /** Whose slots were all taken ({@code Pacing.tenantOf}). */
  public String tenant() {
    return tenant;
  }
}
