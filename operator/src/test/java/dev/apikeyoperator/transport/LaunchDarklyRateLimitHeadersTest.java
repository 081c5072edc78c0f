package dev.apikeyoperator.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

/** LaunchDarkly's reset header is epoch milliseconds, not seconds; Retry-After beside it is seconds. */
class LaunchDarklyRateLimitHeadersTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @Test
  void theResetIsReadAsEpochMilliseconds() {
    Headers h = Headers.of("X-Ratelimit-Reset", Long.toString(NOW.toEpochMilli() + 2500));
    assertThat(RetryHints.retryAfter(h, NOW)).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void aResetInThePastMeansRetryNow() {
    Headers h = Headers.of("X-Ratelimit-Reset", Long.toString(NOW.toEpochMilli() - 10_000));
    assertThat(RetryHints.retryAfter(h, NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void theLaterOfResetAndRetryAfterWins() {
    Headers later = Headers.of("X-Ratelimit-Reset", Long.toString(NOW.toEpochMilli() + 1000), "Retry-After", "7");
    assertThat(RetryHints.retryAfter(later, NOW)).isEqualTo(Duration.ofSeconds(7));
    Headers sooner = Headers.of("X-Ratelimit-Reset", Long.toString(NOW.toEpochMilli() + 9000), "Retry-After", "2");
    assertThat(RetryHints.retryAfter(sooner, NOW)).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void anUnreadableResetCountsAsAbsent() {
    assertThat(RetryHints.retryAfter(Headers.of("X-Ratelimit-Reset", "soon"), NOW)).isNull();
    assertThat(RetryHints.retryAfter(Headers.of("X-Ratelimit-Reset", "-5"), NOW)).isNull();
  }
}
