package dev.apikeyoperator.ledger;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.time.Instant;

/**
 * A key the operator created and must be able to revoke: its vendor name, id (when returned), value (the
 * revocation handle of last resort, since some vendor answers carry no id), what it grants, and the provider it was
 * minted through (revoked through that one: a changed providerRef must not send a revocation to another account).
 *
 * @param identity resolved identity (type, project id, environment ids, roles): a change means a new key
 * @param specIdentity the identity fields as written in the spec, before name resolution (lets a steady-state
 *     reconcile skip resolution when nothing changed)
 * @param settings the in-place updatable settings the key was last given (Statsig); empty for FME
 * @param revokeAfter null for the current key; for a replaced key, when it is to be revoked
 * @param vendorExpiry for a replaced key of a vendor that expires keys: the expiry the vendor was given (null: not
 *     yet given), so that it is given once, restarts included
 * @param provider the provider it was minted through ({@code Provider.ref()}); null for keys recorded before the
 *     operator kept it (taken as the provider the ApiKey names)
 */
public record LedgerKey(String name, String id, KeyValue value, Instant createdAt, String identity,
    String specIdentity, String settings, Instant revokeAfter, Instant vendorExpiry, String provider) {

  /** A key no vendor has been given an expiry for, of no recorded provider. */
  public LedgerKey(String name, String id, KeyValue value, Instant createdAt, String identity, String specIdentity,
      String settings, Instant revokeAfter) {
    this(name, id, value, createdAt, identity, specIdentity, settings, revokeAfter, null, null);
  }

  /** Whether it was minted through the provider {@code ref} (a key of unknown provider counts as any one's). */
  public boolean mintedThrough(String ref) {
    return provider == null || ref == null || provider.equals(ref);
  }

  public LedgerKey withProvider(String ref) {
    return new LedgerKey(name, id, value, createdAt, identity, specIdentity, settings, revokeAfter, vendorExpiry, ref);
  }

  /** The handle the vendor's delete endpoint takes: the id when known, else the value. */
  public String revocationHandle() {
    return id != null && !id.isBlank() ? id : value.reveal();
  }

  public LedgerKey retiredUntil(Instant when) {
    return new LedgerKey(name, id, value, createdAt, identity, specIdentity, settings, when, vendorExpiry, provider);
  }

  public LedgerKey expiringAt(Instant when) {
    return new LedgerKey(name, id, value, createdAt, identity, specIdentity, settings, revokeAfter, when, provider);
  }

  public LedgerKey withSpecIdentity(String newSpecIdentity) {
    return new LedgerKey(name, id, value, createdAt, identity, newSpecIdentity, settings, revokeAfter, vendorExpiry,
        provider);
  }

  public LedgerKey withSettings(String newSettings) {
    return new LedgerKey(name, id, value, createdAt, identity, specIdentity, newSettings, revokeAfter, vendorExpiry,
        provider);
  }
}
