package dev.apikeyoperator.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * One call to a vendor, as a client describes it: what it is called in messages, method, URL, JSON body, whether it
 * may mint a key (then it is sent at most once, and a lost answer is an unknown outcome), and the secrets of this
 * call (a key value in the path) that must never be quoted. {@link #toString()} shows the operation only.
 */
public record Exchange(String operation, String method, HttpUrl url, byte[] body, boolean mints,
    List<String> secrets) {

  public Exchange {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    secrets = List.copyOf(secrets);
  }

  public static Exchange get(String operation, HttpUrl url) {
    return new Exchange(operation, "GET", url, null, false, List.of());
  }

  public static Exchange delete(String operation, HttpUrl url) {
    return new Exchange(operation, "DELETE", url, null, false, List.of());
  }

  /** A POST; {@code json} may be empty (then no content type is sent). */
  public static Exchange post(String operation, HttpUrl url, byte[] json) {
    return new Exchange(operation, "POST", url, json, false, List.of());
  }

  /** A PATCH; {@code json} may be empty (then no content type is sent). */
  public static Exchange patch(String operation, HttpUrl url, byte[] json) {
    return new Exchange(operation, "PATCH", url, json, false, List.of());
  }

  /** This call may mint a key: never sent twice, and a lost answer is an unknown outcome. */
  public Exchange minting() {
    return new Exchange(operation, method, url, body, true, secrets);
  }

  /** This call carries {@code secret} (for instance in its path): it is never quoted. */
  public Exchange hiding(String secret) {
    List<String> more = new ArrayList<>(secrets);
    if (secret != null && !secret.isEmpty()) {
      more.add(secret);
    }
    return new Exchange(operation, method, url, body, mints, more);
  }

  @Override
  public String toString() {
    return "Exchange[" + operation + "]";
  }
}
