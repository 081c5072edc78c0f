package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ExternalRevocationPolicy;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.issuer.Vendor;
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

  /** What {@code apiKey} asks of {@code vendor} through {@code provider}. */
  static Desired of(ApiKey apiKey, Vendor vendor, Provider provider) {
    RotationSpec rotation = apiKey.getSpec().rotation;
    return new Desired(vendor.specIdentity(apiKey.getSpec()), vendor.settings(apiKey.getSpec()),
        apiKey.getSpec().adopt != null, KeyDecision.annotation(apiKey, ApiKey.ROTATE_ANNOTATION),
        rotation == null ? null : rotation.every,
        apiKey.getSpec().onExternalRevocation == ExternalRevocationPolicy.Recreate
            || vendor.followsVendorValue(apiKey.getSpec()), provider.ref());
  }

  /** Whether the current key was minted through another provider than the one now named: an identity change. */
  boolean movedFrom(dev.apikeyoperator.ledger.LedgerKey current) {
    return current != null && !current.mintedThrough(provider);
  }

  Duration rotationPeriod() {
    return rotateEvery == null ? null : dev.apikeyoperator.api.v1alpha1.GoDuration.parse(rotateEvery);
  }
}
