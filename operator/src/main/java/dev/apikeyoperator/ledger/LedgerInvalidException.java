package dev.apikeyoperator.ledger;

/**
 * The ledger Secret of an ApiKey does not verify (docs/design/ledger.md, "The ledger is sealed"): it was changed outside
 * the operator, so nothing in it is acted upon. Names the Secret and its resourceVersion (what a human quotes to
 * discard it), never its content: it holds key values.
 */
public final class LedgerInvalidException extends RuntimeException {
  private final String secretName;
  private final String resourceVersion;

  LedgerInvalidException(String namespace, String secretName, String resourceVersion, String why) {
    super("the key ledger Secret " + namespace + "/" + secretName + " " + why, null, false, false);
    this.secretName = secretName;
    this.resourceVersion = resourceVersion;
  }

  public String secretName() {
    return secretName;
  }

  /** The resourceVersion of the ledger Secret that does not verify. */
  public String resourceVersion() {
    return resourceVersion;
  }
}
