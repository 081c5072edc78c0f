package dev.apikeyoperator.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds every vendor call is held to, whatever the server at the other end does.
 *
 * @param deadline the whole call, from DNS to the last byte of the answer; a server that trickles its answer
 *     one byte at a time (which restarts the read timeout at every byte) still hits it
 * @param maxAnswerBytes the largest answer read, both as sent and after gzip inflation; a larger one fails
 * @param maxPages the most pages one listing reads; a listing that goes on fails
 * @param maxListingBytes the most bytes all the pages of one listing may hold together (a hostile endpoint could
 *     otherwise have the operator hold every page at the largest answer); a listing that goes past fails
 */
public record TransportLimits(Duration deadline, long maxAnswerBytes, int maxPages, long maxListingBytes) {

  /** 30 s per call, 4 MiB per answer, 100 pages per listing, 16 MiB per listing. */
  public static final TransportLimits DEFAULT = new TransportLimits(Duration.ofSeconds(30), 4L << 20, 100,
      16L << 20);

  public TransportLimits {
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive");
    }
    if (maxAnswerBytes < 1) {
      throw new IllegalArgumentException("maxAnswerBytes must be >= 1");
    }
    if (maxPages < 1) {
      throw new IllegalArgumentException("maxPages must be >= 1");
    }
    if (maxListingBytes < 1) {
      throw new IllegalArgumentException("maxListingBytes must be >= 1");
    }
  }

  public TransportLimits withDeadline(Duration value) {
    return new TransportLimits(value, maxAnswerBytes, maxPages, maxListingBytes);
  }

  public TransportLimits withMaxAnswerBytes(long value) {
    return new TransportLimits(deadline, value, maxPages, maxListingBytes);
  }

  public TransportLimits withMaxPages(int value) {
    return new TransportLimits(deadline, maxAnswerBytes, value, maxListingBytes);
  }

  public TransportLimits withMaxListingBytes(long value) {
    return new TransportLimits(deadline, maxAnswerBytes, maxPages, value);
  }
}
