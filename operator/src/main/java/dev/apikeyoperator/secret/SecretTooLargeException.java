package dev.apikeyoperator.secret;

/** The rendered Secret would be larger than the API server accepts: it is not written. Names no value. */
public final class SecretTooLargeException extends Exception {
  public SecretTooLargeException(String message) {
    super(message, null, false, false);
  }
}
