package dev.apikeyoperator.issuer;

import dev.apikeyoperator.status.Reason;

/** A plan that cannot be carried out: an unknown name, or a scope outside the provider's policy. */
public final class PlanException extends Exception {
  private final Reason reason;

  public PlanException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** A Ready reason: ProjectNotFound, EnvironmentNotFound or PolicyDenied. */
  public Reason reason() {
    return reason;
  }
}
