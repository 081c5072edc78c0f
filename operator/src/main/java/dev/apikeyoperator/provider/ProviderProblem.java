package dev.apikeyoperator.provider;

/** Why a provider cannot be used right now (endpoint refused, credentials Secret missing or incomplete). */
public final class ProviderProblem extends Exception {
  /** The provider-level reason: InsecureEndpoint, SecretNotFound or CredentialsInvalid. */
  private final String reason;

  public ProviderProblem(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
