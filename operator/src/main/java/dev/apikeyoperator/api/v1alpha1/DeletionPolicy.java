package dev.apikeyoperator.api.v1alpha1;

/** What happens to the vendor key when its ApiKey is deleted. */
public enum DeletionPolicy {
  /** Revoke every key the ApiKey created. */
  Delete,
  /** Keep the current key at the vendor and keep the Secret (its ownerReference is removed). */
  Orphan,
  /** Statsig only: deactivate the current key instead of deleting it. */
  Deactivate
}
