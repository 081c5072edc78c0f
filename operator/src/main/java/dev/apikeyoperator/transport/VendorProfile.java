package dev.apikeyoperator.transport;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.util.Objects;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * What the transport needs to know about one vendor endpoint, and nothing of its API: its name in messages, its base
 * URL, the headers that carry the credential, the credential to redact, and the words that explain a refusal.
 *
 * @param vendor "FME" or "Statsig": the first word of every message
 * @param headers sent with every call (credential, API version); built from {@link #headerValue} only
 * @param unauthorized what a 401 means for this vendor and how to fix it
 * @param forbidden what a 403 means for this vendor and how to fix it
 * @param rateLimitNote said inside the parentheses of a 429 message after "HTTP 429" (empty or "; ...")
 * @param mayExist what to do when a call that mints a key lost its answer
 */
public record VendorProfile(String vendor, HttpUrl base, Headers headers, Redaction redaction, String unauthorized,
    String forbidden, String rateLimitNote, String mayExist) {

  public VendorProfile {
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(redaction, "redaction");
  }

  /** The base URL without trailing slashes. */
  public static HttpUrl baseUrl(String vendor, String url) {
    String stripped = url.strip();
    while (stripped.endsWith("/")) {
      stripped = stripped.substring(0, stripped.length() - 1);
    }
    HttpUrl parsed = HttpUrl.parse(stripped);
    if (parsed == null) {
      throw new IllegalArgumentException("invalid " + vendor + " baseUrl: " + stripped);
    }
    return parsed;
  }

  /**
   * The credential stripped of surrounding whitespace (a trailing newline in a Secret), checked to be sendable in an
   * HTTP header before any header is built: OkHttp's own check would quote the value in its exception message.
   *
   * @param what how the credential is called in the message, e.g. "the FME admin credential"
   * @throws IllegalArgumentException naming the credential by fingerprint only
   */
  public static String headerValue(KeyValue credential, String what) {
    String value = credential.reveal().strip();
    if (value.isEmpty() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(what + " (" + credential.fingerprint() + ") contains characters that cannot "
          + "be sent in an HTTP header (only visible ASCII is allowed); the provider's credentials Secret must hold "
          + "only the credential");
    }
    return value;
  }
}
