package dev.apikeyoperator.issuer;

/**
 * What a vendor can do beyond create and revoke; the key lifecycle asks these instead of which vendor it is.
 *
 * @param findsLostKeys the vendor can list keys, so a create whose answer was lost is looked up, not reported
 * @param readsBack the vendor can read a key back, so a key deleted outside the operator is noticed
 * @param updatesInPlace some settings of a live key can change without a new key
 * @param rotatesNatively the vendor has a rotate call (the old key stops working at once)
 * @param deactivates the vendor can deactivate a key instead of deleting it (deletionPolicy Deactivate)
 */
public record Capabilities(boolean findsLostKeys, boolean readsBack, boolean updatesInPlace,
    boolean rotatesNatively, boolean deactivates) {}
