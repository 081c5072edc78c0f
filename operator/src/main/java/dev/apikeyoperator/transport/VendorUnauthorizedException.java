package dev.apikeyoperator.transport;

/** The vendor answered 401 or 403: the provider's credential is invalid or lacks the needed role or scope. */
public final class VendorUnauthorizedException extends VendorException {

  private final int status;

  public VendorUnauthorizedException(String message, int status) {
    super(message);
    this.status = status;
  }

  /** 401 or 403. */
  public int status() {
    return status;
  }
}
