package dev.apikeyoperator.api.v1alpha1;

/** How the admin credential is sent to the FME Admin API. */
public enum AuthScheme {
  /** Authorization: Bearer (Split Admin API keys; the default). */
  Bearer,
  /** x-api-key header (Harness personal access or service-account tokens). */
  XApiKey
}
