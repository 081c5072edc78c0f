package dev.apikeyoperator.simulator;

/** Thrown from deep inside a fake API's handler to answer an error (counted, with the API's own error body). */
final class ApiError extends Exception {
  final int status;

  ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
