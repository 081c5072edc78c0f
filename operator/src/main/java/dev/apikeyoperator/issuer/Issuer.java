package dev.apikeyoperator.issuer;

import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.secretvalue.KeyValue;
import java.time.Instant;
import java.util.Optional;

/**
 * One provider's vendor account, connected with its credential, as the key lifecycle sees it: plan a key (names
 * resolved, scope policy checked), create, revoke, and what only some vendors can do (see {@link Capabilities}).
 * Vendor-specific HTTP stays behind this boundary; Kubernetes stays out.
 *
 * @param <R> the vendor's resolved create request, carried from {@link #plan} to {@link #create}
 */
public interface Issuer<R> {
  /** Resolves names to ids and checks the provider's scope policy. Makes lookups only, never creates. */
  KeyPlan<R> plan(ApiKeySpec spec) throws PlanException;

  /** Creates the key named {@code keyName}. */
  MintedKey create(KeyPlan<R> plan, String keyName);

  /** Revokes (deletes) a key; already gone counts as done. */
  void revoke(LedgerKey key);

  /** Deactivates a key where the vendor can ({@link Capabilities#deactivates()}); elsewhere revokes it. */
  default void deactivate(LedgerKey key) {
    revoke(key);
  }

  /**
   * Finds the key created as {@code keyName} whose create answer was lost (or, for a lost native rotation, the
   * active successor of {@code rotatedFrom}). Works where {@link Capabilities#findsLostKeys()}.
   */
  default Optional<MintedKey> findLost(String keyName, LedgerKey rotatedFrom) {
    return Optional.empty();
  }

  /** As {@link #findLost(String, LedgerKey)}, for vendors whose keys live inside a place the spec names. */
  default Optional<MintedKey> findLost(String keyName, LedgerKey rotatedFrom, ApiKeySpec spec) {
    return findLost(keyName, rotatedFrom);
  }

  /**
   * Creates the key that replaces {@code replaced} on a rotation (not a native one): by default a new key as
   * {@link #create} makes it. A vendor whose key is shared and can only be reset (LaunchDarkly's environment keys)
   * resets it here, the old value valid until {@code replacedUntil} where the vendor can.
   */
  default MintedKey createReplacing(KeyPlan<R> plan, String keyName, LedgerKey replaced, Instant replacedUntil) {
    return create(plan, keyName);
  }

  /** Whether the key still exists and is active at the vendor (read back where {@link Capabilities#readsBack()}). */
  default boolean isActive(LedgerKey key) {
    return true;
  }

  /** Brings the in-place updatable settings of a live key to the spec ({@link Capabilities#updatesInPlace()}). */
  default void updateInPlace(LedgerKey key, ApiKeySpec spec) {}

  /**
   * Reads an existing key back before it is adopted, where the vendor can ({@link Capabilities#readsBack()}): its
   * real type and settings must match the spec and the provider's policy before any setting is updated onto it.
   * Vendors that cannot read a key back accept it as is.
   */
  default void checkAdoptable(KeyValue key, ApiKeySpec spec, Provider provider) throws PlanException {}

  /**
   * Gives a live key a vendor-side expiry at {@code at} ({@link Capabilities#expiresKeys()}): used on a replaced key
   * as soon as its successor serves. Idempotent; a key already gone counts as done.
   */
  default void expire(LedgerKey key, Instant at) {}

  /** Rotates natively ({@link Capabilities#rotatesNatively()}): the vendor replaces {@code key} by a new one. */
  default MintedKey rotate(LedgerKey key, String keyName) {
    throw new UnsupportedOperationException("native rotation");
  }

  /**
   * A cheap call that proves the credentials work.
   *
   * @return what the credential cannot do although it works (shown in the provider's Ready message), if anything
   */
  Optional<String> checkCredentials();
}
