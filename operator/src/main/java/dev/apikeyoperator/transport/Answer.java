package dev.apikeyoperator.transport;

import okhttp3.Headers;

/** A complete answer of a vendor: status, body (at most the cap; only a prefix for a failure) and headers. */
public record Answer(int status, String body, Headers headers) {
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  @Override
  public String toString() {
    return "Answer[HTTP " + status + "]";
  }
}
