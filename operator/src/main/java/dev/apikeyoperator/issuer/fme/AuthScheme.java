package dev.apikeyoperator.issuer.fme;

/** How the admin credential is sent. */
public enum AuthScheme {
  /** {@code Authorization: Bearer <token>} (Split Admin API keys; newer Harness tokens). */
  BEARER,
  /** {@code x-api-key: <token>} (Harness personal access and service-account tokens). */
  X_API_KEY
}
