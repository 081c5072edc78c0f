package dev.apikeyoperator.transport;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.Headers;

/** How long a vendor asked us to wait, read from the headers of a rate-limited answer. */
public final class RetryHints {

  private RetryHints() {}

  /**
   * The larger of {@code X-RateLimit-Reset-Seconds-Org} and {@code X-RateLimit-Reset-Seconds-IP} (FME) when
   * either is present, else {@code Retry-After} (seconds or an HTTP date; a date in the past is zero), else
   * {@code null}. Negative, non-numeric and unparseable values count as absent. LaunchDarkly's
   * {@code X-Ratelimit-Reset} (epoch milliseconds; a reset in the past is zero) counts beside them, the later winning.
   */
  public static Duration retryAfter(Headers headers, Instant now) {
    Duration plain = retryAfterPlain(headers, now);
    Duration reset = epochMillis(headers.get("X-Ratelimit-Reset"), now);
    if (reset == null) {
      return plain;
    }
    return plain == null || reset.compareTo(plain) > 0 ? reset : plain;
  }

  /** A reset given as epoch milliseconds, as LaunchDarkly sends it; one in the past means retry now. */
  static Duration epochMillis(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long millis = Long.parseLong(value.strip());
      if (millis < 0) {
        return null;
      }
      Duration wait = Duration.between(now, Instant.ofEpochMilli(millis));
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (NumberFormatException | java.time.DateTimeException e) {
      return null;
    }
  }

  private static Duration retryAfterPlain(Headers headers, Instant now) {
    Duration org = seconds(headers.get("X-RateLimit-Reset-Seconds-Org"));
    Duration ip = seconds(headers.get("X-RateLimit-Reset-Seconds-IP"));
    if (org != null || ip != null) {
      if (org == null) {
        return ip;
      }
      if (ip == null) {
        return org;
      }
      return org.compareTo(ip) >= 0 ? org : ip;
    }
    String retryAfter = headers.get("Retry-After");
    if (retryAfter == null || retryAfter.isBlank()) {
      return null;
    }
    Duration asSeconds = seconds(retryAfter);
    if (asSeconds != null) {
      return asSeconds;
    }
    try {
      Instant at = ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration seconds(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      double s = Double.parseDouble(value.strip());
      if (Double.isNaN(s) || Double.isInfinite(s) || s < 0 || s > Integer.MAX_VALUE) {
        return null;
      }
      return Duration.ofMillis((long) Math.ceil(s * 1000));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
