package dev.apikeyoperator.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class RetryHintsTest {

  private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

  private static Duration hint(String... namesAndValues) {
    return RetryHints.retryAfter(Headers.of(namesAndValues), NOW);
  }

  private static String httpDate(Instant at) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(at, ZoneOffset.UTC));
  }

  @Test
  void retryAfterInSecondsAndFractions() {
    assertThat(hint("Retry-After", "12")).isEqualTo(Duration.ofSeconds(12));
    assertThat(hint("Retry-After", " 1.2 ")).isEqualTo(Duration.ofMillis(1200));
    assertThat(hint("Retry-After", "0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfterAsAnHttpDate() {
    assertThat(hint("Retry-After", httpDate(NOW.plusSeconds(90)))).isEqualTo(Duration.ofSeconds(90));
    assertThat(hint("Retry-After", httpDate(NOW.minusSeconds(90)))).as("a date in the past").isEqualTo(Duration.ZERO);
  }

  @Test
  void unusableValuesCountAsNoHint() {
    assertThat(hint()).isNull();
    assertThat(hint("Retry-After", "")).isNull();
    assertThat(hint("Retry-After", "-5")).isNull();
    assertThat(hint("Retry-After", "soon")).isNull();
    assertThat(hint("Retry-After", "NaN")).isNull();
    assertThat(hint("Retry-After", "1e300")).isNull();
  }

  @Test
  void theLargerRateLimitResetWinsOverRetryAfter() {
    assertThat(hint("X-RateLimit-Reset-Seconds-Org", "3", "X-RateLimit-Reset-Seconds-IP", "7", "Retry-After", "100"))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(hint("X-RateLimit-Reset-Seconds-Org", "9", "X-RateLimit-Reset-Seconds-IP", "7"))
        .isEqualTo(Duration.ofSeconds(9));
    assertThat(hint("X-RateLimit-Reset-Seconds-IP", "4")).isEqualTo(Duration.ofSeconds(4));
    assertThat(hint("X-RateLimit-Reset-Seconds-Org", "junk", "Retry-After", "5")).isEqualTo(Duration.ofSeconds(5));
  }
}
