package dev.apikeyoperator.issuer.fme;

/**
 * What the operator has learnt about one FME credential (per provider, base URL and credential fingerprint), from
 * the vendor's answers alone. The vendor has no call that tells a credential's roles or scope (docs/integrations/vendor-apis.md),
 * so both facts start unknown and are learnt as calls are answered; they live as long as the process.
 */
final class FmeCredentialReach {
  private volatile Boolean listsNames;
  private volatile boolean deletes;

  /** {@code TRUE}: may list projects and environments; {@code FALSE}: authenticated but may not; null: unknown. */
  Boolean listsNames() {
    return listsNames;
  }

  void listsNames(boolean can) {
    listsNames = can;
  }

  /**
   * Whether a {@code DELETE /apiKeys/{id}} by this credential has answered 2xx: only a GLOBAL-scope caller with
   * {@code API_ALL_GRANTED} or {@code API_APIKEY} can get one, and for such a caller a 404 means "does not exist".
   */
  boolean knownToDelete() {
    return deletes;
  }

  void deleted() {
    deletes = true;
  }
}
