package dev.apikeyoperator.issuer;

/**
 * What a vendor can do beyond create and revoke; the key lifecycle asks these instead of which vendor it is.
 *
 * @param findsLostKeys the vendor can list keys, so a create whose answer was lost is looked up, not reported
 * @param readsBack the vendor can read a key back, so a key deleted outside the operator is noticed
 * @param updatesInPlace some settings of a live key can change without a new key
 * @param rotatesNatively the vendor has a rotate call (the old key stops working at once)
 * @param deactivates the vendor can deactivate a key instead of deleting it (deletionPolicy Deactivate)
 * @param expiresKeys the vendor can give a live key an expiry, so a replaced key dies on time at the vendor even
 *     if the operator is gone (see {@link Issuer#expire})
 */
public record Capabilities(boolean findsLostKeys, boolean readsBack, boolean updatesInPlace,
    boolean rotatesNatively, boolean deactivates, boolean expiresKeys) {}
