package dev.apikeyoperator.status;

/** Reasons of an ApiKeyProvider's or ClusterApiKeyProvider's Ready condition (docs/concepts/ready-and-synced.md). */
public enum ProviderReason implements ConditionReason {
  CredentialsValid,
  CredentialsInvalid,
  VendorUnreachable,
  InsecureEndpoint,
  EndpointNotAllowed,
  SecretNotFound,
  /** This operator version cannot read the provider's spec (a value of a newer CRD). */
  InvalidSpec;

  @Override
  public boolean ready() {
    return this == CredentialsValid;
  }
}
