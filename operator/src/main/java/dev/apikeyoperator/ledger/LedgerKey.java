package dev.apikeyoperator.ledger;

import dev.apikeyoperator.issuer.KeyValue;
import java.time.Instant;

/**
 * A key the operator created and must be able to revoke: its vendor name, id (when returned), value (the
 * revocation handle of last resort, since some vendor answers carry no id) and what it grants.
 *
 * @param identity resolved identity (type, project id, environment ids, roles): a change means a new key
 * @param specIdentity the identity fields as written in the spec, before name resolution (lets a steady-state
 *     reconcile skip resolution when nothing changed)
 * @param settings the in-place updatable settings the key was last given (Statsig); empty for FME
 * @param revokeAfter null for the current key; for a replaced key, when it is to be revoked
 * @param vendorExpiry for a replaced key of a vendor that expires keys: the expiry the vendor was given (null: not
 *     yet given), so that it is given once, restarts included
 */
public record LedgerKey(String name, String id, KeyValue value, Instant createdAt, String identity,
    String specIdentity, String settings, Instant revokeAfter, Instant vendorExpiry) {

  /** A key no vendor has been given an expiry for. */
  public LedgerKey(String name, String id, KeyValue value, Instant createdAt, String identity, String specIdentity,
      String settings, Instant revokeAfter) {
    this(name, id, value, createdAt, identity, specIdentity, settings, revokeAfter, null);
  }

  /** The handle the vendor's delete endpoint takes: the id when known, else the value. */
  public String revocationHandle() {
    return id != null && !id.isBlank() ? id : value.reveal();
  }

  public LedgerKey retiredUntil(Instant when) {
    return new LedgerKey(name, id, value, createdAt, identity, specIdentity, settings, when, vendorExpiry);
  }

  public LedgerKey expiringAt(Instant when) {
    return new LedgerKey(name, id, value, createdAt, identity, specIdentity, settings, revokeAfter, when);
  }

  public LedgerKey withSpecIdentity(String newSpecIdentity) {
    return new LedgerKey(name, id, value, createdAt, identity, newSpecIdentity, settings, revokeAfter, vendorExpiry);
  }

  public LedgerKey withSettings(String newSettings) {
    return new LedgerKey(name, id, value, createdAt, identity, specIdentity, newSettings, revokeAfter, vendorExpiry);
  }
}
