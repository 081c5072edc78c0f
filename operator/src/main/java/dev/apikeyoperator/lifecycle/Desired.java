package dev.apikeyoperator.lifecycle;

import java.time.Duration;

/**
 * What the spec and the annotations ask for, reduced to what the decision needs.
 *
 * @param specIdentity the identity as written in the spec (a change means a new key)
 * @param settings the in-place settings the key should have
 * @param adopt whether spec.adopt names an existing key to take over
 * @param rotateRequest the value of the rotate-requested-at annotation (null: none)
 * @param rotateEvery spec.rotation.every as written (null: no scheduled rotation)
 * @param recreateRevoked whether a key revoked outside the operator is replaced (onExternalRevocation Recreate)
 * @param provider the provider the ApiKey names ({@code Provider.ref()}); null: not known here
 */
public record Desired(String specIdentity, String settings, boolean adopt, String rotateRequest,
    String rotateEvery, boolean recreateRevoked, String provider) {

  public Desired(String specIdentity, String settings, boolean adopt, String rotateRequest, String rotateEvery,
      boolean recreateRevoked) {
    this(specIdentity, settings, adopt, rotateRequest, rotateEvery, recreateRevoked, null);
  }

  /** Whether the current key was minted through another provider than the one now named: an identity change. */
  boolean movedFrom(dev.apikeyoperator.ledger.LedgerKey current) {
    return current != null && !current.mintedThrough(provider);
  }

  Duration rotationPeriod() {
    return rotateEvery == null ? null : dev.apikeyoperator.api.v1alpha1.GoDuration.parse(rotateEvery);
  }
}
