package dev.apikeyoperator.secret;

/** The Secret an ApiKey names exists and belongs to someone else: it is never overwritten. */
public final class SecretConflictException extends Exception {
  public SecretConflictException(String message) {
    super(message, null, false, false);
  }
}
