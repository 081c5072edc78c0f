package dev.apikeyoperator.status;

/** Reasons of an ApiKey's Ready condition (docs/concepts/ready-and-synced.md). */
public enum Reason implements ConditionReason {
  Provisioning(Kind.PROGRESSING),
  KeyReady(Kind.READY),
  Rotating(Kind.READY),
  InvalidSpec(Kind.FAILED),
  ProviderNotFound(Kind.FAILED),
  ProviderNotReady(Kind.FAILED),
  NamespaceNotAllowed(Kind.FAILED),
  PolicyDenied(Kind.FAILED),
  ProjectNotFound(Kind.FAILED),
  EnvironmentNotFound(Kind.FAILED),
  VendorUnauthorized(Kind.FAILED),
  VendorError(Kind.FAILED),
  RateLimited(Kind.FAILED),
  SecretConflict(Kind.FAILED),
  CreationIndeterminate(Kind.FAILED),
  RevocationFailed(Kind.FAILED),
  KeyRevokedExternally(Kind.FAILED),
  StateInvalid(Kind.FAILED),
  Paused(Kind.FAILED);

  /** Whether a reason means Ready=True, a transition in progress, or a failure. */
  public enum Kind { READY, PROGRESSING, FAILED }

  private final Kind kind;

  Reason(Kind kind) {
    this.kind = kind;
  }

  public boolean ready() {
    return kind == Kind.READY;
  }

  /** A failure worth a Warning event (waiting for the vendor's rate limit is pacing, not a failure). */
  public boolean failure() {
    return kind == Kind.FAILED && this != Paused && this != RateLimited;
  }
}
