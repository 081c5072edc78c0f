package dev.apikeyoperator.lifecycle;

import static dev.apikeyoperator.api.v1alpha1.ApiKey.ACKNOWLEDGE_ANNOTATION;
import static dev.apikeyoperator.api.v1alpha1.ApiKey.DISCARD_ANNOTATION;
import static dev.apikeyoperator.api.v1alpha1.ApiKey.PAUSED_ANNOTATION;
import static dev.apikeyoperator.api.v1alpha1.ApiKey.ROTATE_ANNOTATION;

import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.secret.ManagedSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Every sentence the key lifecycle shows users (Ready condition messages and event messages), in one place. */
public final class Messages {

  private Messages() {}

  // ------------------------------------------------------------------------------------------- conditions

  static String paused() {
    return "Paused by the annotation " + PAUSED_ANNOTATION + ": no vendor calls are made until it is removed";
  }

  static String deletionPaused() {
    return "Deletion waits: the annotation " + PAUSED_ANNOTATION + " stops all vendor calls, including revocation. "
        + "Remove it to let the deletion finish";
  }

  static String invalidSpec(List<String> problems) {
    return "The spec is invalid: " + String.join("; ", problems) + ". No key was created.";
  }

  static String deletionOfUnreadable(List<String> problems) {
    return "Deletion waits: the spec cannot be read (" + String.join("; ", problems) + "), so the operator cannot "
        + "tell how to revoke this ApiKey's keys. Fix the spec (or run an operator version that reads it)";
  }

  static String unknownFields(List<String> unknown) {
    return "This operator version does not know " + String.join(", ", unknown) + ": ignored. Upgrade the operator "
        + "if the CRD is newer than it, or remove the field(s)";
  }

  static String providerNotFound(String where) {
    return where + " does not exist: create it (or fix spec.providerRef). No key was created; it is created as soon "
        + "as the provider exists";
  }

  static String wrongVendor(String provider, String providerVendor, String keyVendor, LedgerKey current) {
    return provider + " is a " + providerVendor + " account, but the ApiKey gives spec." + keyVendor + ": use spec."
        + providerVendor + " or another provider" + keptOrNone(current);
  }

  /** A policy that changes under a live key never revokes it on its own. */
  static String keptOrNone(LedgerKey current) {
    return current == null ? ". No key was created."
        : ". The existing key " + current.name() + " is kept; nothing new is minted until the ApiKey complies.";
  }

  static String planFailed(String problem, boolean lookAgain, Duration every, LedgerKey current) {
    return problem + (lookAgain ? "; the operator looks again every " + every.toSeconds() + "s" : "")
        + keptOrNone(current);
  }

  static String ready(String keyName, String secretName, String dataKey) {
    return "Key " + keyName + " is in Secret " + secretName + " under data key '" + dataKey + "'";
  }

  static String rotating(String keyName, String secretName, List<LedgerKey> previous, Instant until) {
    return "Key " + keyName + " is in Secret " + secretName + "; replaced key(s) " + names(previous)
        + " stay valid until " + until + ", then are revoked";
  }

  /** Ready=True while a change is not applied: the key that keeps serving. */
  static String keepsServing(String keyName, String secretName) {
    return "Key " + keyName + " in Secret " + secretName + " keeps working; the latest change of the spec is not "
        + "applied (the Synced condition says why)";
  }

  /** Synced=True: the generation is applied at the vendor and in the Secret. */
  public static String synced(Long generation, String secretName) {
    return "Generation " + generation + " of the spec is applied at the vendor and in Secret " + secretName;
  }

  static String revokedExternally(String keyName, String secretName) {
    return "Key " + keyName + " in Secret " + secretName + " was deleted or deactivated outside the operator and no "
        + "longer works. Set spec.onExternalRevocation: Recreate, or the annotation " + ROTATE_ANNOTATION
        + ", to get a new key";
  }

  static String foreignLedger(String namespace, String apiKeyName) {
    return "Secret " + namespace + "/" + ManagedSecrets.ledgerName(apiKeyName) + " exists and is not this ApiKey's: the "
        + "operator keeps its records there. Rename or delete that Secret. No key was created.";
  }

  static String mintBudgetSpent(String provider, String namespace, int perHour, Instant next, LedgerKey current) {
    return "Namespace " + namespace + " has minted " + perHour + " keys through " + provider + " in the last hour, "
        + "its policy.maxKeysPerHour: the next may be minted at " + next.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        + ". Ask the provider's administrator for a higher limit if this namespace needs more. " + (current == null
        ? "No key was created." : "The existing key " + current.name() + " keeps serving.");
  }

  static String awaitingRestore(String restore, Duration wait) {
    return "Restored by Velero restore " + restore + " before its kept state (the key ledger Secret): waiting up to "
        + wait.toMinutes() + " minutes from its creation for it, so that the restored key is resumed rather than a "
        + "new one created";
  }

  static String adoptionNotAllowed(String provider) {
    return provider + " does not allow adoption: an adopted key can be revoked by deleting its ApiKey, so a cluster "
        + "administrator must grant it with spec.policy.allowAdoption: true. Or create a new key (remove spec.adopt). "
        + "No key was adopted or created";
  }

  static String adoptValueTooLong(String namespace, String secret, String dataKey, int length, int max) {
    return "spec.adopt.secretRef names Secret " + namespace + "/" + secret + " whose data key '" + dataKey + "' holds "
        + length + " characters, more than the " + max + " any vendor's key has: put the key alone under that data "
        + "key. No key was adopted";
  }

  static String adoptSourceMissing(String namespace, String secret, String dataKey, boolean exists) {
    return "spec.adopt.secretRef names Secret " + namespace + "/" + secret + " with data key '" + dataKey
        + "', which " + (exists ? "is missing or empty" : "does not exist") + ": create it, or fix spec.adopt. No "
        + "key was created";
  }

  static String indeterminate(String keyName) {
    return "Key " + keyName + " may have been created at the vendor, but its answer was lost (operator restarted or "
        + "connection dropped), so it cannot be revoked from here. Find " + keyName + " in the vendor's UI and "
        + "revoke it (or keep it), then set the annotation " + ACKNOWLEDGE_ANNOTATION + "=" + keyName + " on this "
        + "ApiKey; until then no other key is created";
  }

  static String stateInvalid(String problem, String resourceVersion, String lastReported) {
    return "The state the operator keeps for this ApiKey is not to be trusted: " + problem + ". Nothing in it is "
        + "acted upon: no key is created, revoked or written, and a deletion waits. "
        + (lastReported == null ? "" : "The key this ApiKey last reported is " + lastReported + ". ")
        + "Check the vendor for this ApiKey's keys and revoke those that must not stay, then set the annotation "
        + DISCARD_ANNOTATION + "=" + resourceVersion + " on this ApiKey: the operator then forgets that state and "
        + "goes on from what the status names (on deletion, it revokes nothing)";
  }

  static String stateDiscarded(String secretName) {
    return "Discarded the key ledger Secret " + secretName + " as asked by " + DISCARD_ANNOTATION + ": the keys it "
        + "named are no longer revoked by the operator";
  }

  static String lookingUpLost(String keyName) {
    return "The answer to creating key " + keyName + " was lost; the operator looks it up by listing keys";
  }

  static String lookUpFailed(String keyName, String problem) {
    return "The answer to creating key " + keyName + " was lost; looking it up by listing keys failed (" + problem
        + "). Retrying";
  }

  static String createFailedChecking(String keyName, String problem) {
    return "Creating key " + keyName + " failed (" + problem + "); the operator checks by listing keys whether it "
        + "was created anyway";
  }

  static String keptStateGone(List<String> keyNames) {
    return "The kept state of this ApiKey (its ledger Secret) was deleted with the operator's finalizer removed by "
        + "hand, so the operator cannot revoke " + String.join(", ", keyNames) + ". Revoke them at the vendor by "
        + "hand, then set the annotation " + ACKNOWLEDGE_ANNOTATION + "=" + keyNames.get(0) + " on this ApiKey to "
        + "let its deletion finish";
  }

  static String revokeWithoutProvider(List<LedgerKey> keys, String provider) {
    // a ledger's provider reference ("Kind/namespace/name") as messages name providers ("Kind namespace/name")
    String named = provider.replaceFirst("/", " ").replace(" /", " ");
    return "Cannot revoke " + names(keys) + ": the provider " + named + " that minted it is gone. Recreate it so "
        + "the keys can be revoked";
  }

  static String cannotRevoke(String keyName, String providerProblem) {
    return "Cannot revoke" + (keyName == null ? "" : " key " + keyName) + ": " + providerProblem;
  }

  static String revokeFailed(String keyName, String problem, Duration retry) {
    return "Could not revoke key " + keyName + ": " + problem + ". Retrying in " + retry.toSeconds() + "s";
  }

  static String vendorRateLimited() {
    return "The vendor answered 429 (rate limited) without saying how long to wait; trying again with a growing "
        + "delay";
  }

  static String revokeFailed(String keyName, String problem) {
    return "Could not revoke key " + keyName + ": " + problem + ". Retrying with a growing delay";
  }

  static String vendorRateLimited(Duration wait) {
    return "The vendor answered 429 (rate limited); trying again in " + wait.toSeconds() + "s";
  }

  static String retrying(String problem) {
    return problem + ". Retrying with a growing delay";
  }

  /** No number of seconds in these: a status that changed at every retry would be written at every retry. */
  static String waitToCreate() {
    return "Waiting for the provider's rate limit (its rateLimit, or the pace learned from the vendor's 429s); the key "
        + "is created as soon as it allows";
  }

  static String waitToUpdate(String keyName) {
    return "Waiting for the provider's rate limit to update key " + keyName + " in place";
  }

  static String waitToRevoke(String keyName) {
    return "Key " + keyName + " is revoked as soon as the provider's rate limit allows";
  }

  static String waitToExpire(String keyName) {
    return "Key " + keyName + " is given its vendor-side expiry as soon as the provider's rate limit allows";
  }

  // --------------------------------------------------------------------------------------------- events

  static String expiring(String keyName, Instant at) {
    return "Key " + keyName + " expires at the vendor at " + at + ", the end of its grace period";
  }

  static String created(String keyName, String fingerprint, String why) {
    return "Created key " + keyName + " (" + fingerprint + "): " + why;
  }

  /** Why a key was created, for its event and log line. */
  static String whyCreated(LedgerKey replaced, String rotation, boolean nativeRotation) {
    return replaced == null ? "first key" : (rotation != null ? rotation : "identity changed") + "; replaces "
        + replaced.name() + (nativeRotation ? " (rotated by the vendor: the old key stopped working)"
        : ", which is revoked after the grace period");
  }

  static String rotationRequested(String request) {
    return "rotation requested (" + ROTATE_ANNOTATION + ": " + request + ")";
  }

  static String rotationScheduled(String every) {
    return "scheduled rotation (spec.rotation.every: " + every + ")";
  }

  static String updated(String keyName) {
    return "Updated key " + keyName + " in place (no new key)";
  }

  static String revoked(String keyName, boolean deactivated) {
    return (deactivated ? "Deactivated key " : "Revoked key ") + keyName;
  }

  static String diedOutside(String keyName) {
    return "Key " + keyName + " was deleted or deactivated outside the operator";
  }

  static String acknowledged(String keyName) {
    return "Key " + keyName + " was acknowledged; the operator goes on";
  }

  static String recovered(String keyName) {
    return "Found key " + keyName + " by listing the vendor's keys after its answer was lost; recorded it";
  }

  static String replacementHeld(int most) {
    return ". A further replacement (rotation or changed identity) waits until fewer than " + most + " replaced keys "
        + "await revocation";
  }

  static String waitToAdopt(String secret) {
    return "Waiting for the provider's rate limit to read back the key in Secret " + secret + " before adopting it";
  }

  static String adopted(String secret, String fingerprint) {
    return "Took the existing key in Secret " + secret + " (" + fingerprint + ") under management; no key was created";
  }

  static String ledgerLost(String apiKeyName, String secretName, String keyName, String keyId) {
    return "The operator's record " + ManagedSecrets.ledgerName(apiKeyName) + " was deleted and Secret " + secretName
        + " no longer holds key " + keyName + (keyId == null ? "; revoke it by hand in the vendor's UI"
        : " (vendor id " + keyId + ")") + ". Never delete the ledger Secret";
  }

  static String ledgerRebuilt(String apiKeyName, String secretName) {
    return "The operator's record " + ManagedSecrets.ledgerName(apiKeyName) + " was deleted; it was rebuilt from Secret "
        + secretName + ". Never delete it by hand";
  }

  static String names(List<LedgerKey> keys) {
    return keys.stream().map(LedgerKey::name).collect(Collectors.joining(", "));
  }
}
