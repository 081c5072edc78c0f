package dev.apikeyoperator.api.v1alpha1;

/** What to do when a key that can be read back was revoked outside the operator (Statsig). */
public enum ExternalRevocationPolicy {
  /** Report it (Ready=False, KeyRevokedExternally) and wait for a human. */
  Report,
  /** Report it and mint a new key. */
  Recreate
}
