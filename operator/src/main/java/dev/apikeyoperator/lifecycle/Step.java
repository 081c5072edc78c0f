package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.ledger.LedgerKey;

/** The next thing to do for one ApiKey, as {@link KeyDecision#decide} decides it; the executor performs one at a time. */
public sealed interface Step extends KeyDecision.Decision {
  /** The ledger does not verify, and the discard annotation names it: replace it by an empty one. */
  record DiscardLedger(String resourceVersion) implements Step {}

  /** A creation intent has no outcome yet: look it up, or report it. */
  record SettlePending() implements Step {}

  /** The ledger is empty while the status names a key: rebuild it from the managed Secret if that still holds it. */
  record RecoverLedger() implements Step {}

  /** No key yet and spec.adopt names one: take it under management. */
  record Adopt() implements Step {}

  /** Read the current key back at the vendor: is it still active? */
  record ReadBack() implements Step {}

  /** The current key died outside the operator and may be replaced: forget it (it is not revoked). */
  record DropRevoked() implements Step {}

  /**
   * Mint the key the spec needs: a first key, a replacement after an identity change, or a rotation.
   *
   * @param rotation why the current key is rotated (null: no rotation is wanted)
   */
  record Mint(String rotation) implements Step {}

  /** Bring the live key's in-place settings to the spec (no new key). */
  record UpdateInPlace() implements Step {}

  /** Make the Secret pods mount hold the current key. */
  record WriteSecret() implements Step {}

  /** Restart the rollout targets once for a changed key. */
  record RollOut() implements Step {}

  /** Give a replaced key a vendor-side expiry at the end of its grace period (the successor serves already). */
  record Expire(LedgerKey key) implements Step {}

  /** Revoke a replaced key whose grace period is over. */
  record Revoke(LedgerKey key) implements Step {}

  /** Nothing is left to do: the current key died outside the operator and must not be replaced. */
  record ReportRevokedExternally(LedgerKey key) implements Step {}

  /** A replaced key is due for revocation, but a consumer may still use it: report ready, saying why it waits. */
  record HoldRevocation(String why) implements Step {}

  /** Nothing is left to do: report the key as ready. */
  record ReportReady() implements Step {}
}
