package dev.apikeyoperator.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;

/**
 * The one HTTP transport of both vendor clients, blind to their APIs: it sends an {@link Exchange} under a deadline,
 * reads the answer through a bounded source, and turns every failure into a {@link VendorException} whose message
 * holds no secret and at most a short sanitized excerpt of what the vendor said. It never sleeps or retries.
 *
 * <p>Redirects are never followed (the credential must not travel to another host), a call that mints a key is
 * sent at most once, and logging is at DEBUG only: operation, status and duration, never a URL.
 */
public final class VendorTransport {

  /** The most bytes of a failure's answer that are read: only an excerpt of it is ever used. */
  static final long FAILURE_PREFIX_BYTES = 16 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final OkHttpClient http;
  private final VendorProfile profile;
  private final TransportLimits limits;
  private final Logger log;

  /**
   * @param http shared client (connection pool, connect and read timeouts); its event listeners are kept
   * @param log the vendor client's logger, so that its lines name the client
   */
  public VendorTransport(OkHttpClient http, VendorProfile profile, TransportLimits limits, Logger log) {
    Objects.requireNonNull(http, "http");
    this.profile = Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(limits, "limits");
    // A call timeout set on the shared client (the operator's VENDOR_CALL_DEADLINE) is the deadline of every call.
    this.limits = http.callTimeoutMillis() > 0 ? limits.withDeadline(Duration.ofMillis(http.callTimeoutMillis()))
        : limits;
    this.log = Objects.requireNonNull(log, "log");
    EventListener.Factory callerListeners = http.eventListenerFactory();
    this.http =
        http.newBuilder()
            .followRedirects(false)
            .followSslRedirects(false)
            .eventListenerFactory(call -> {
              EventListener caller = callerListeners.create(call);
              SentRequest.Progress progress = call.request().tag(SentRequest.Progress.class);
              return progress == null ? caller : caller.plus(new SentRequest.Listener(progress));
            })
            .build();
  }

  /**
   * A client with the given timeouts (defaults 5 s connect, 20 s read/write when {@code null}), that never retries
   * on connection failure and never follows redirects. The overall deadline is the transport's, per call.
   */
  public static OkHttpClient defaultHttpClient(Duration connectTimeout, Duration readTimeout) {
    Duration connect = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    Duration read = readTimeout == null ? Duration.ofSeconds(20) : readTimeout;
    return new OkHttpClient.Builder()
        .connectTimeout(connect.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(read.toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(read.toMillis(), TimeUnit.MILLISECONDS)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  public VendorProfile profile() {
    return profile;
  }

  public TransportLimits limits() {
    return limits;
  }

  /**
   * One exchange: an answer of any status, its body read whole for a success (at most the cap) and in part for a
   * failure.
   *
   * @throws VendorOutcomeUnknownException the call mints, was sent, and no readable answer arrived
   * @throws VendorUnreachableException no answer arrived and the call mints nothing, or it was certainly not sent
   * @throws VendorErrorException the answer of a call that mints nothing is too large or unreadable
   */
  public Answer send(Exchange exchange) {
    SentRequest.Progress progress = new SentRequest.Progress();
    Request request = SentRequest.build(exchange, profile.headers()).newBuilder()
        .tag(SentRequest.Progress.class, progress)
        .build();
    Call call = http.newCall(request);
    call.timeout().timeout(limits.deadline().toMillis(), TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    int status = 0;
    try (Response response = call.execute()) {
      status = response.code();
      String body = response.isSuccessful()
          ? BoundedBody.readAll(response, limits.maxAnswerBytes())
          : BoundedBody.readPrefix(response, FAILURE_PREFIX_BYTES);
      log.debug("{} {} answered HTTP {} in {} ms", profile.vendor(), exchange.operation(), status, millisSince(start));
      return new Answer(status, body, response.headers());
    } catch (BoundedBody.Unreadable e) {
      log.debug("{} {} answered HTTP {} unreadably after {} ms", profile.vendor(), exchange.operation(), status,
          millisSince(start));
      throw unreadable(exchange, status, e.getMessage());
    } catch (IOException e) {
      log.debug("{} {} failed after {} ms: {}", profile.vendor(), exchange.operation(), millisSince(start),
          e.getClass().getSimpleName());
      String what = call.isCanceled()
          ? "no complete answer within the deadline of " + limits.deadline().toMillis() + " ms"
          : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + excerpt(exchange, e.getMessage()));
      Throwable cause = profile.redaction().reveals(e, exchange.secrets()) ? null : e;
      String host = profile.base().host();
      if (exchange.mints() && progress.started()) {
        throw new VendorOutcomeUnknownException(prefix(exchange) + ": the request was sent to " + host
            + " but no answer arrived (" + what + "); " + profile.mayExist(), cause);
      }
      throw new VendorUnreachableException(prefix(exchange) + ": cannot reach " + host + " (" + what + ")", cause);
    }
  }

  /** Sends the exchange and reads a JSON answer; any unsuccessful answer is thrown as {@link #failure}. */
  public JsonNode json(Exchange exchange) {
    Answer answer = send(exchange);
    if (!answer.isSuccess()) {
      throw failure(exchange, answer);
    }
    return json(exchange, answer);
  }

  /** The JSON of a successful answer. */
  public JsonNode json(Exchange exchange, Answer answer) {
    JsonNode root = readTreeOrNull(answer.body());
    if (root == null) {
      throw new VendorErrorException(
          prefix(exchange) + ": the answer is not JSON: " + excerpt(exchange, answer.body()), answer.status(), false);
    }
    return root;
  }

  /** The failure an unsuccessful answer stands for: 401 and 403 refused, 429 rate-limited, else an error. */
  public VendorException failure(Exchange exchange, Answer answer) {
    int status = answer.status();
    String said = vendorSaid(exchange, answer);
    if (status == 401) {
      return new VendorUnauthorizedException(prefix(exchange) + " was refused with HTTP 401 Unauthorized: "
          + profile.unauthorized() + said, 401);
    }
    if (status == 403) {
      return new VendorUnauthorizedException(prefix(exchange) + " was refused with HTTP 403 Forbidden: "
          + profile.forbidden() + said, 403);
    }
    if (status == 429) {
      Duration retryAfter = RetryHints.retryAfter(answer.headers(), Instant.now());
      return new VendorRateLimitedException(prefix(exchange) + " was rate-limited (HTTP 429" + profile.rateLimitNote()
          + "); " + (retryAfter == null ? "the vendor gave no retry hint" : "retry after " + retryAfter.toSeconds()
          + " s") + "." + said, retryAfter);
    }
    String excerpt = vendorMessage(exchange, answer);
    return new VendorErrorException(
        prefix(exchange) + " failed with HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt), status);
  }

  /** {@code " The vendor said: <excerpt>"}, or empty when the answer says nothing. */
  public String vendorSaid(Exchange exchange, Answer answer) {
    String said = vendorMessage(exchange, answer);
    return said.isEmpty() ? "" : " The vendor said: " + said;
  }

  /** A short sanitized excerpt of {@code text}, with every secret of the exchange redacted. */
  public String excerpt(Exchange exchange, String text) {
    return profile.redaction().excerpt(text, exchange.secrets());
  }

  /** {@code "<vendor> <operation>"}: how every message starts. */
  public String prefix(Exchange exchange) {
    return profile.vendor() + " " + exchange.operation();
  }

  /** A new listing: its pages are counted together against {@link TransportLimits#maxListingBytes()}. */
  public Listing listing(String operation) {
    return new Listing(operation);
  }

  /** The pages of one listing, bounded in total bytes as each page is in its own. */
  public final class Listing {
    private final String operation;
    private long bytes;

    private Listing(String operation) {
      this.operation = operation;
    }

    /** Sends a page's exchange and reads its JSON, counted; an unsuccessful answer is thrown as {@link #failure}. */
    public JsonNode page(Exchange exchange) {
      Answer answer = send(exchange);
      if (!answer.isSuccess()) {
        throw failure(exchange, answer);
      }
      return page(exchange, answer);
    }

    /** The JSON of a successful page, counted. */
    public JsonNode page(Exchange exchange, Answer answer) {
      bytes += answer.body() == null ? 0 : answer.body().length();
      if (bytes > limits.maxListingBytes()) {
        throw new VendorErrorException(profile.vendor() + " " + operation + ": the listing is larger than "
            + (limits.maxListingBytes() >> 20) + " MiB in all; the operator reads no more of it and stopped there",
            200, false);
      }
      return json(exchange, answer);
    }
  }

  /** The error thrown when a listing goes on past {@link TransportLimits#maxPages()} pages. */
  public VendorErrorException tooManyPages(String operation, int pageSize) {
    int max = limits.maxPages();
    return new VendorErrorException(profile.vendor() + " " + operation + ": the listing goes on past " + max
        + " pages of " + pageSize + "; the operator reads at most " + max + " pages (" + (long) max * pageSize
        + " items) and stopped there", 200, false);
  }

  /** The parsed JSON, or {@code null} when the text is empty or not JSON (the parser's message is never kept). */
  public static JsonNode readTreeOrNull(String body) {
    if (body == null) {
      return null;
    }
    try {
      JsonNode root = MAPPER.readTree(body);
      return root == null || root.isMissingNode() ? null : root;
    } catch (JsonProcessingException e) {
      // never attach e: its message may quote the body, which may hold a key value
      return null;
    }
  }

  /** The text of a scalar field, or {@code null} when it is absent, null or a container. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isContainerNode()) {
      return null;
    }
    return value.asText();
  }

  /** The {@code message} of a JSON error body when there is one, else the body; as a short excerpt. */
  private String vendorMessage(Exchange exchange, Answer answer) {
    JsonNode root = readTreeOrNull(answer.body());
    if (root != null && root.isObject()) {
      String message = text(root, "message");
      if (message != null && !message.isBlank()) {
        return excerpt(exchange, message);
      }
    }
    return excerpt(exchange, answer.body());
  }

  private VendorException unreadable(Exchange exchange, int status, String why) {
    String message = prefix(exchange) + ": the vendor answered HTTP " + status + " but " + why;
    if (exchange.mints() && status >= 200 && status < 300) {
      return new VendorOutcomeUnknownException(message + "; " + profile.mayExist());
    }
    return new VendorErrorException(message, status, false);
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
