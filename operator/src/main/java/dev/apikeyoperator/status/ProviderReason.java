package dev.apikeyoperator.status;

/** Reasons of an ApiKeyProvider's or ClusterApiKeyProvider's Ready condition (README, "Resources in short"). */
public enum ProviderReason implements ConditionReason {
  CredentialsValid,
  CredentialsInvalid,
  VendorUnreachable,
  InsecureEndpoint,
  SecretNotFound;

  @Override
  public boolean ready() {
    return this == CredentialsValid;
  }
}
