package dev.apikeyoperator.account;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.issuer.KeyValue;
import java.time.Instant;
import java.util.Optional;

/**
 * One provider's vendor account, as the reconciler sees it: plan a key (names resolved, scope policy checked),
 * create, revoke, and what only some vendors can do (find a key whose create answer was lost, read a key back,
 * update it in place, rotate it natively). Vendor-specific HTTP stays behind this boundary; Kubernetes stays out.
 */
public interface VendorAccount {
  /** A key the vendor created (or that was found again). */
  record MintedKey(String id, KeyValue value, Instant createdAt) {}

  /** What to create, decided before any create call. */
  record KeyPlan(String identity, Object request) {}

  /** A plan that cannot be carried out: an unknown name, or a scope outside the provider's policy. */
  final class PlanException extends Exception {
    private final String reason;

    public PlanException(String reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }

    /** A Ready reason: ProjectNotFound, EnvironmentNotFound or PolicyDenied. */
    public String reason() {
      return reason;
    }
  }

  /** Resolves names to ids and checks the provider's scope policy. Makes lookups only, never creates. */
  KeyPlan plan(ApiKey apiKey) throws PlanException;

  /** Creates the key named {@code keyName}. */
  MintedKey create(KeyPlan plan, String keyName);

  /** Revokes (deletes) a key; already gone counts as done. */
  void revoke(LedgerKey key);

  /** Deactivates a key where the vendor can (Statsig); elsewhere revokes it. */
  default void deactivate(LedgerKey key) {
    revoke(key);
  }

  /** Whether {@link #findLost} works: the vendor can list keys. */
  default boolean findsLostKeys() {
    return false;
  }

  /**
   * Finds the key created as {@code keyName} whose create answer was lost (or, for a lost native rotation, the
   * active successor of {@code rotatedFrom}).
   */
  default Optional<MintedKey> findLost(String keyName, LedgerKey rotatedFrom) {
    return Optional.empty();
  }

  /** Whether {@link #isActive} works: the vendor can read keys back. */
  default boolean readsBack() {
    return false;
  }

  /** Whether the key still exists and is active at the vendor. */
  default boolean isActive(LedgerKey key) {
    return true;
  }

  /** Brings the in-place updatable settings (Statsig description, scopes, ...) of a live key to the spec. */
  default void updateInPlace(LedgerKey key, ApiKey apiKey) {}

  /** Whether the vendor has a rotate call (the old key stops working at once). */
  default boolean rotatesNatively() {
    return false;
  }

  /** Rotates natively: the vendor replaces {@code key} by a new one, named {@code keyName}. */
  default MintedKey rotate(LedgerKey key, String keyName) {
    throw new UnsupportedOperationException("native rotation");
  }

  /** A cheap call that proves the credentials work. */
  void checkCredentials();
}
