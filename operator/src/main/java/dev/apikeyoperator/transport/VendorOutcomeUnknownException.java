package dev.apikeyoperator.transport;

/**
 * A create request was sent but no complete answer arrived (read timeout, connection closed or reset):
 * the key may exist at the vendor. Retrying blindly could create a duplicate.
 */
public final class VendorOutcomeUnknownException extends VendorException {

  public VendorOutcomeUnknownException(String message) {
    super(message);
  }

  public VendorOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
