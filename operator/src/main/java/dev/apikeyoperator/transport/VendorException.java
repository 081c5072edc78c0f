package dev.apikeyoperator.transport;

/**
 * Base class of every failure talking to a vendor. Messages never contain key values or credentials.
 */
public class VendorException extends RuntimeException {

  public VendorException(String message) {
    super(message);
  }

  public VendorException(String message, Throwable cause) {
    super(message, cause);
  }
}
