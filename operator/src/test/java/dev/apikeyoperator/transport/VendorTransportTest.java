package dev.apikeyoperator.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A hostile or broken vendor endpoint: every answer ends in a clear vendor exception, never in a hang or an OOM. */
class VendorTransportTest {

  private static final String CREDENTIAL = "cred-7f3e9b2c41d8aa";
  private static final String KEY = "secret-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
  private static final long CAP = 64 * 1024;
  /** Generous next to any healthy answer here, small next to what the hostile answers would take. */
  private static final Duration DEADLINE = Duration.ofMillis(1500);

  private MockWebServer server;
  private VendorTransport transport;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    // read timeouts far longer than the deadline: only the deadline can end a trickle or a hang
    OkHttpClient http = VendorTransport.defaultHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(30));
    transport = new VendorTransport(http, profile(server.url("/api")),
        TransportLimits.DEFAULT.withDeadline(DEADLINE).withMaxAnswerBytes(CAP).withMaxPages(3),
        LoggerFactory.getLogger(VendorTransportTest.class));
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private static VendorProfile profile(HttpUrl base) {
    return new VendorProfile("Acme", base, new Headers.Builder().add("X-Token", CREDENTIAL).build(),
        new Redaction(CREDENTIAL), "fix the credential.", "grant the scope.", "; at most 10 per s", "look for it.");
  }

  private Exchange list() {
    return Exchange.get("list things", server.url("/api/things"));
  }

  private Exchange mint() {
    return Exchange.post("create thing", server.url("/api/things"), "{}".getBytes()).minting();
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  private static Buffer gzip(byte[] chunk, int times) throws IOException {
    Buffer compressed = new Buffer();
    try (BufferedSink sink = Okio.buffer(new GzipSink(compressed))) {
      for (int i = 0; i < times; i++) {
        sink.write(chunk);
      }
    }
    return compressed;
  }

  private static void assertNoSecret(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertThat(String.valueOf(c.getMessage())).doesNotContain(CREDENTIAL).doesNotContain(KEY);
    }
  }

  // ---------------------------------------------------------------- size caps

  @Test
  void aGzipBombFailsNamingTheCapAfterInflation() throws IOException {
    Buffer bomb = gzip(new byte[1024 * 1024], 64); // 64 MiB of zeros, about 64 KiB on the wire
    assertThat(bomb.size()).isLessThan(CAP * 2);
    server.enqueue(json(200, "").setHeader("Content-Encoding", "gzip").setBody(bomb));

    Throwable t = catchThrowable(() -> transport.json(list()));

    assertThat(t).isInstanceOf(VendorErrorException.class)
        .hasMessageContaining("Acme list things")
        .hasMessageContaining("cap of " + CAP + " bytes");
    assertThat(((VendorErrorException) t).permanent()).isFalse();
  }

  @Test
  void aGzipBombAnsweringACallThatMintsIsAnUnknownOutcome() throws IOException {
    server.enqueue(json(201, "").setHeader("Content-Encoding", "gzip").setBody(gzip(new byte[1024 * 1024], 16)));

    Throwable t = catchThrowable(() -> transport.send(mint()));

    assertThat(t).isInstanceOf(VendorOutcomeUnknownException.class)
        .hasMessageContaining("after gzip inflation")
        .hasMessageContaining("look for it.");
  }

  @Test
  void aGzippedAnswerWithinTheCapIsInflated() throws IOException {
    server.enqueue(json(200, "").setHeader("Content-Encoding", "gzip").setBody(gzip("{\"a\":1}".getBytes(), 1)));

    JsonNode root = transport.json(list());

    assertThat(root.get("a").asInt()).isEqualTo(1);
  }

  @Test
  void anAnswerDeclaringMoreThanTheCapIsNotRead() {
    server.enqueue(json(200, "").setBody(new Buffer().write(new byte[(int) CAP * 4])));

    Throwable t = catchThrowable(() -> transport.json(list()));

    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageContaining("declares " + CAP * 4 + " bytes");
  }

  @Test
  void aHugeChunkedAnswerFailsAsSent() {
    server.enqueue(json(200, "").setChunkedBody(new Buffer().write(new byte[(int) CAP * 4]), 8192));

    Throwable t = catchThrowable(() -> transport.json(list()));

    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageContaining("cap of " + CAP + " bytes as sent");
  }

  @Test
  void aHugeErrorPageIsReadOnlyInPart() {
    server.enqueue(json(503, "").setChunkedBody(new Buffer().write(new byte[(int) CAP * 16]), 8192));

    Throwable t = catchThrowable(() -> transport.json(list()));

    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageContaining("failed with HTTP 503");
    assertThat(((VendorErrorException) t).status()).isEqualTo(503);
  }

  @Test
  void anEncodingThatWasNotAskedForIsAnError() throws InterruptedException {
    server.enqueue(json(200, "{}").setHeader("Content-Encoding", "br"));

    Throwable t = catchThrowable(() -> transport.json(list()));

    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageContaining("Content-Encoding");
    RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
    assertThat(r.getHeader("Accept-Encoding")).isEqualTo("gzip");
    assertThat(r.getHeader("X-Token")).isEqualTo(CREDENTIAL);
  }

  // ---------------------------------------------------------------- deadline

  @Test
  void aTricklingAnswerHitsTheDeadline() {
    // one byte every 500 ms would restart a read timeout forever; the whole body would take 100 s
    server.enqueue(json(200, "{\"pad\":\"" + "x".repeat(190) + "\"}").throttleBody(1, 500, TimeUnit.MILLISECONDS));

    Throwable t = catchThrowable(() -> transport.json(list()));

    assertThat(t).isInstanceOf(VendorUnreachableException.class)
        .hasMessageContaining("deadline of " + DEADLINE.toMillis() + " ms");
  }

  @Test
  void aServerThatNeverAnswersHitsTheDeadline() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    Throwable t = catchThrowable(() -> transport.json(list()));

    assertThat(t).isInstanceOf(VendorUnreachableException.class).hasMessageContaining("deadline");
  }

  @Test
  void aHangAfterACallThatMintsWasSentIsAnUnknownOutcome() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    Throwable t = catchThrowable(() -> transport.send(mint()));

    assertThat(t).isInstanceOf(VendorOutcomeUnknownException.class)
        .hasMessageContaining("deadline")
        .hasMessageContaining("look for it.");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- what reaches a message

  @Test
  void invalidJsonIsAnErrorWithAShortExcerpt() {
    server.enqueue(json(200, "{not json " + KEY + " " + "y".repeat(5000)));

    Throwable t = catchThrowable(() -> transport.json(list()));

    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageContaining("not JSON");
    assertThat(t.getMessage()).doesNotContain("y".repeat(Redaction.MAX_EXCERPT_CHARS + 1));
    assertThat(t.getCause()).isNull();
    assertNoSecret(t);
  }

  @Test
  void aLongHtmlErrorPageBecomesAShortPlainExcerpt() {
    String page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\r\n<body>\u0007\u001b[31m"
        + "<h1>upstream said</h1> token=" + CREDENTIAL + " key " + KEY + "\u202e\n" + "<p>filler</p>\n".repeat(4000)
        + "</body></html>";
    server.enqueue(new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html").setBody(page));

    Throwable t = catchThrowable(() -> transport.json(list()));

    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageStartingWith("Acme list things failed with HTTP 502: ");
    String excerpt = t.getMessage().substring("Acme list things failed with HTTP 502: ".length());
    assertThat(excerpt.length()).isLessThanOrEqualTo(Redaction.MAX_EXCERPT_CHARS + 3);
    assertThat(excerpt).contains("502 Bad Gateway", "upstream said", "<redacted>").doesNotContain("<html", "<h1>");
    assertThat(excerpt).doesNotContainPattern("[\\p{Cntrl}\\u202e]");
    assertNoSecret(t);
  }

  @Test
  void refusalsAndRateLimitsAreMappedWithTheVendorsWords() {
    server.enqueue(json(401, "{\"message\":\"bad " + CREDENTIAL + "\"}"));
    server.enqueue(json(403, "{}"));
    server.enqueue(json(429, "{\"message\":\"slow down\"}").setHeader("Retry-After", "12"));
    server.enqueue(json(500, "{\"message\":\"boom\"}"));

    Throwable unauthorized = catchThrowable(() -> transport.json(list()));
    Throwable forbidden = catchThrowable(() -> transport.json(list()));
    Throwable limited = catchThrowable(() -> transport.json(list()));
    Throwable error = catchThrowable(() -> transport.json(list()));

    assertThat(unauthorized).isInstanceOf(VendorUnauthorizedException.class)
        .hasMessage("Acme list things was refused with HTTP 401 Unauthorized: fix the credential. "
            + "The vendor said: bad <redacted>");
    assertThat(forbidden).isInstanceOf(VendorUnauthorizedException.class).hasMessageContaining("grant the scope.");
    assertThat(((VendorUnauthorizedException) forbidden).status()).isEqualTo(403);
    assertThat(limited).isInstanceOf(VendorRateLimitedException.class)
        .hasMessage("Acme list things was rate-limited (HTTP 429; at most 10 per s); retry after 12 s. "
            + "The vendor said: slow down");
    assertThat(((VendorRateLimitedException) limited).retryAfter()).isEqualTo(Duration.ofSeconds(12));
    assertThat(error).isInstanceOf(VendorErrorException.class).hasMessage("Acme list things failed with HTTP 500: boom");
    assertThat(((VendorErrorException) error).permanent()).isFalse();
  }

  @Test
  void aSecretOfTheCallIsNeverQuoted() {
    String keyInPath = "abc-key-value-1234";
    server.enqueue(json(400, "{\"message\":\"no key " + keyInPath + "\"}"));

    Throwable t = catchThrowable(() -> transport.json(list().hiding(keyInPath)));

    assertThat(t.getMessage()).contains("no key <redacted>").doesNotContain(keyInPath);
    assertThat(list().hiding(keyInPath).toString()).doesNotContain(keyInPath);
  }

  @Test
  void thePageCapErrorNamesTheCap() {
    VendorErrorException e = transport.tooManyPages("list things", 50);

    assertThat(e).hasMessage("Acme list things: the listing goes on past 3 pages of 50; the operator reads at most "
        + "3 pages (150 items) and stopped there");
    assertThat(e.permanent()).isFalse();
  }
}
