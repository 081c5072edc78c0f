package dev.apikeyoperator.transport;

/**
 * An I/O failure where the request was certainly not processed by the vendor (connection refused or timed
 * out, unknown host), or any I/O failure of a call that creates nothing. Safe to retry.
 */
public final class VendorUnreachableException extends VendorException {

  public VendorUnreachableException(String message) {
    super(message);
  }

  public VendorUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
