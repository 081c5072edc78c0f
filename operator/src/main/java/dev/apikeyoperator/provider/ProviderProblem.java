package dev.apikeyoperator.provider;

import dev.apikeyoperator.status.ProviderReason;

/** Why a provider cannot be used right now (endpoint refused, credentials Secret missing or incomplete). */
public final class ProviderProblem extends Exception {
  /** The provider-level reason: InsecureEndpoint, EndpointNotAllowed or SecretNotFound. */
  private final ProviderReason reason;

  public ProviderProblem(ProviderReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ProviderReason reason() {
    return reason;
  }
}
