package dev.apikeyoperator.issuer.statsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.transport.VendorRateLimitedException;
import dev.apikeyoperator.transport.VendorUnreachableException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cases the simulator cannot produce: exact request shapes, lost answers of rotate, odd answers, hostile bodies. */
class StatsigClientMockServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONSOLE_KEY = "console-mockAdminKey0123456789abcdef";
  private static final String KEY = "secret-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
  private static final String NEW_KEY = "secret-ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210";
  private static final SecretLeakGuard GUARD = new SecretLeakGuard();

  private MockWebServer server;
  private OkHttpClient http;
  private StatsigClient client;

  @BeforeAll
  static void attachLogs() {
    GUARD.attachLogs();
    GUARD.secrets(List.of(CONSOLE_KEY, KEY, NEW_KEY));
  }

  @AfterAll
  static void noSecretInAnyExceptionOrLog() {
    try {
      assertThat(GUARD.thrownCount()).as("the suite did provoke exceptions").isGreaterThan(10);
      GUARD.assertNoLeaks();
    } finally {
      GUARD.detachLogs();
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    http =
        new OkHttpClient.Builder()
            .connectTimeout(2, TimeUnit.SECONDS)
            .readTimeout(2, TimeUnit.SECONDS)
            .writeTimeout(2, TimeUnit.SECONDS)
            .build();
    client = client(2, StatsigClient.MAX_PAGES);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private StatsigClient client(int pageSize, int maxPages) {
    return new StatsigClient(http, new StatsigEndpoint(server.url("/console/v1/").toString(),
        KeyValue.of(CONSOLE_KEY)), pageSize, maxPages);
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  private static String data(String key, String status) {
    return "{\"key\":\"" + key + "\",\"type\":\"SERVER\",\"description\":\"checkout (m-1)\",\"scopes\":[],"
        + "\"environments\":[\"production\"],\"primaryTargetApp\":null,\"secondaryTargetApps\":[],\"status\":\""
        + status + "\"}";
  }

  private static String answer(String key) {
    return "{\"message\":\"ok\",\"data\":" + data(key, "active") + "}";
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the server").isNotNull();
    return r;
  }

  private static StatsigKeyRequest request() {
    return new StatsigKeyRequest("SERVER", "checkout (m-1)", List.of("client_download_config_specs"),
        List.of("production", "staging"), "checkout", List.of("billing"));
  }

  // ---------------------------------------------------------------- request shapes

  @Test
  void createSendsHeadersAndBodyAndAccepts200() throws Exception {
    server.enqueue(json(200, answer(KEY)));

    StatsigKey key = client.create(request());

    assertThat(key.key().reveal()).isEqualTo(KEY);
    assertThat(key.primaryTargetApp()).isNull();
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/console/v1/keys");
    assertThat(r.getHeader("STATSIG-API-KEY")).isEqualTo(CONSOLE_KEY);
    assertThat(r.getHeader("STATSIG-API-VERSION")).isEqualTo("20240601").isEqualTo(StatsigClient.API_VERSION);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    JsonNode body = JSON.readTree(r.getBody().readUtf8());
    assertThat(body.get("type").asText()).isEqualTo("SERVER");
    assertThat(body.get("description").asText()).isEqualTo("checkout (m-1)");
    assertThat(body.get("scopes").toString()).isEqualTo("[\"client_download_config_specs\"]");
    assertThat(body.get("environments").toString()).isEqualTo("[\"production\",\"staging\"]");
    assertThat(body.get("targetAppID").asText()).isEqualTo("checkout");
    assertThat(body.get("secondaryTargetAppIDs").toString()).isEqualTo("[\"billing\"]");
  }

  @Test
  void createOmitsEmptyListsAndNullTargetApp() throws Exception {
    server.enqueue(json(201, answer(KEY)));

    client.create(new StatsigKeyRequest("CLIENT", "d (m)", null, List.of(), null, null));

    JsonNode body = JSON.readTree(take().getBody().readUtf8());
    assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("type", "description");
  }

  @Test
  void updateSendsOnlyNonNullFieldsAndEmptyListsAsEmpty() throws Exception {
    server.enqueue(json(200, answer(KEY)));

    client.update(KeyValue.of(KEY), new StatsigKeyUpdate(null, List.of(), null, "", null));

    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("PATCH");
    assertThat(r.getPath()).isEqualTo("/console/v1/keys/" + KEY);
    assertThat(JSON.readTree(r.getBody().readUtf8()).toString()).isEqualTo("{\"scopes\":[],\"targetAppID\":\"\"}");
  }

  /** The official example answer to PATCH /keys/{id} has no key in data: the update is done, never retried. */
  @Test
  void updateAnsweredLikeTheOfficialExampleIsDone() throws Exception {
    server.enqueue(json(200, "{\"message\":\"Key updated successfully\",\"data\":{\"environments\":"
        + "[\"production\"],\"targetAppID\":\"checkout\",\"secondaryTargetAppIDs\":[]}}"));

    client.update(KeyValue.of(KEY), new StatsigKeyUpdate("d (m)", null, List.of("production"), "checkout", null));

    assertThat(take().getMethod()).isEqualTo("PATCH");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void rotateDeactivateDeleteReadPathsAndMethods() throws Exception {
    server.enqueue(json(200, answer(NEW_KEY)));
    server.enqueue(json(200, "{\"message\":\"Key deactivated successfully\",\"data\":" + data(KEY, "deactivated")
        + "}"));
    server.enqueue(json(200, "{\"message\":\"Key deleted successfully\"}"));
    server.enqueue(json(200, "{\"message\":\"ok\",\"data\":" + data(KEY, "deactivated") + "}"));

    StatsigKey fresh = client.rotate(KeyValue.of(KEY));
    client.deactivate(KeyValue.of(KEY));
    client.delete(KeyValue.of(KEY));
    StatsigKey read = client.read(KeyValue.of(KEY)).orElseThrow();

    assertThat(fresh.key().reveal()).isEqualTo(NEW_KEY);
    assertThat(read.active()).isFalse();
    RecordedRequest rotate = take();
    assertThat(rotate.getMethod()).isEqualTo("PATCH");
    assertThat(rotate.getPath()).isEqualTo("/console/v1/keys/" + KEY + "/rotate");
    assertThat(rotate.getBodySize()).isZero();
    RecordedRequest deactivate = take();
    assertThat(deactivate.getMethod()).isEqualTo("PATCH");
    assertThat(deactivate.getPath()).isEqualTo("/console/v1/keys/" + KEY + "/deactivate");
    RecordedRequest delete = take();
    assertThat(delete.getMethod()).isEqualTo("DELETE");
    assertThat(delete.getPath()).isEqualTo("/console/v1/keys/" + KEY);
    RecordedRequest get = take();
    assertThat(get.getMethod()).isEqualTo("GET");
    assertThat(get.getPath()).isEqualTo("/console/v1/keys/" + KEY);
    for (RecordedRequest r : List.of(rotate, deactivate, delete, get)) {
      assertThat(r.getHeader("STATSIG-API-KEY")).isEqualTo(CONSOLE_KEY);
      assertThat(r.getHeader("STATSIG-API-VERSION")).isEqualTo("20240601");
    }
  }

  @Test
  void checkCredentialsAsksForOneKey() throws Exception {
    server.enqueue(json(200, "{\"message\":\"ok\",\"data\":[],\"pagination\":{\"nextPage\":null}}"));

    client.checkCredentials();

    assertThat(take().getPath()).isEqualTo("/console/v1/keys?limit=1");
  }

  // ---------------------------------------------------------------- lost answers

  @Test
  void rotateWithoutAnswerIsOutcomeUnknownAndSentOnce() throws Exception {
    server.enqueue(json(200, "{\"message\":\"ok\",\"data\":[],\"pagination\":{\"nextPage\":null}}"));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(json(200, answer(NEW_KEY)));
    client.list(); // a pooled connection: OkHttp would retry a replayable request on it

    Throwable t = GUARD.capture(() -> client.rotate(KeyValue.of(KEY)));

    assertThat(t).isInstanceOf(VendorOutcomeUnknownException.class);
    assertThat(t.getMessage()).contains("rotate key").contains("description marker");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void createWithoutAnswerIsOutcomeUnknown() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

    assertThat(GUARD.capture(() -> client.create(request()))).isInstanceOf(VendorOutcomeUnknownException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void createTimeoutIsOutcomeUnknown() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    assertThat(GUARD.capture(() -> client.create(request()))).isInstanceOf(VendorOutcomeUnknownException.class);
  }

  @Test
  void successWithoutAKeyIsOutcomeUnknownForCreateAndRotate() {
    server.enqueue(json(201, "{\"message\":\"Key created successfully\"}"));
    server.enqueue(json(200, "not json " + NEW_KEY));

    assertThat(GUARD.capture(() -> client.create(request()))).isInstanceOf(VendorOutcomeUnknownException.class);
    assertThat(GUARD.capture(() -> client.rotate(KeyValue.of(KEY)))).isInstanceOf(
        VendorOutcomeUnknownException.class);
  }

  @Test
  void nonMintingCallsWithoutAnswerAreUnreachable() {
    for (int i = 0; i < 5; i++) {
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    }

    assertThat(GUARD.capture(() -> client.deactivate(KeyValue.of(KEY)))).isInstanceOf(
        VendorUnreachableException.class);
    assertThat(GUARD.capture(() -> client.update(KeyValue.of(KEY), new StatsigKeyUpdate("d", null, null, null,
        null)))).isInstanceOf(VendorUnreachableException.class);
    assertThat(GUARD.capture(() -> client.read(KeyValue.of(KEY)))).isInstanceOf(VendorUnreachableException.class);
    assertThat(GUARD.capture(() -> client.delete(KeyValue.of(KEY)))).isInstanceOf(VendorUnreachableException.class);
    assertThat(GUARD.capture(client::list)).isInstanceOf(VendorUnreachableException.class);
  }

  // ---------------------------------------------------------------- errors

  @Test
  void errorBodiesAreRedactedAndTruncated() {
    server.enqueue(json(400, "{\"status\":400,\"message\":\"bad key " + KEY + " sent with " + CONSOLE_KEY + " and "
        + NEW_KEY + "; " + "y".repeat(1000) + "\"}"));
    server.enqueue(json(500, "<html>oops " + KEY + " " + "z".repeat(1000) + "</html>"));

    Throwable bad = GUARD.capture(() -> client.update(KeyValue.of(KEY), new StatsigKeyUpdate("d", null, null, null,
        null)));
    Throwable oops = GUARD.capture(() -> client.read(KeyValue.of(KEY)));

    assertThat(bad).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) bad).permanent()).isTrue();
    assertThat(bad.getMessage()).contains("bad key <redacted> sent with <redacted> and <redacted>")
        .doesNotContain(KEY).doesNotContain(CONSOLE_KEY).doesNotContain(NEW_KEY);
    assertThat(bad.getMessage().length()).isLessThan(450);
    assertThat(oops).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) oops).status()).isEqualTo(500);
    assertThat(((VendorErrorException) oops).permanent()).isFalse();
    assertThat(oops.getMessage()).contains("oops <redacted>").doesNotContain(KEY);
    assertThat(oops.getMessage().length()).isLessThan(450);
  }

  @Test
  void rateLimitedWithoutRetryAfterHasNullAndWithADateHasTheWait() {
    server.enqueue(json(429, "{\"status\":429,\"message\":\"Too many requests\"}"));
    String inOneMinute =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(60).atZone(ZoneOffset.UTC));
    server.enqueue(json(429, "{}").setHeader("Retry-After", inOneMinute));
    server.enqueue(json(429, "{}").setHeader("Retry-After", "7"));

    Throwable none = GUARD.capture(() -> client.create(request()));
    Throwable date = GUARD.capture(() -> client.rotate(KeyValue.of(KEY)));
    Throwable seconds = GUARD.capture(() -> client.delete(KeyValue.of(KEY)));

    assertThat(none).isInstanceOf(VendorRateLimitedException.class);
    assertThat(((VendorRateLimitedException) none).retryAfter()).isNull();
    assertThat(none.getMessage()).contains("Too many requests");
    assertThat(((VendorRateLimitedException) date).retryAfter()).isBetween(Duration.ofSeconds(55),
        Duration.ofSeconds(61));
    assertThat(((VendorRateLimitedException) seconds).retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void readOf404IsEmptyButListOf404IsAnError() {
    server.enqueue(json(404, "{\"status\":404,\"message\":\"Key not found\"}"));
    server.enqueue(json(404, "{\"status\":404,\"message\":\"Not Found\"}"));

    assertThat(client.read(KeyValue.of(KEY))).isEmpty();
    Throwable t = GUARD.capture(client::list);
    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(t.getMessage()).contains("baseUrl");
  }

  @Test
  void redirectsAreNotFollowed() {
    server.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", server.url("/elsewhere")));
    server.enqueue(json(200, answer(KEY)));

    Throwable t = GUARD.capture(() -> client.create(request()));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) t).status()).isEqualTo(307);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aConsoleKeyThatCannotBeAHeaderIsRefusedWithoutQuotingIt() {
    String bad = "console-abc\u0007defghij0123456789";
    GUARD.secret(bad);

    assertThatThrownBy(() -> new StatsigClient(http, new StatsigEndpoint("https://statsigapi.net/console/v1",
        KeyValue.of(bad))))
        .isInstanceOf(IllegalArgumentException.class)
        .message().doesNotContain(bad).contains("sha256:");
  }

  // ---------------------------------------------------------------- paging

  @Test
  void listFollowsNextPageLinksButStaysOnTheConfiguredServer() throws Exception {
    server.enqueue(json(200, "{\"message\":\"ok\",\"data\":[" + data(KEY, "active") + "],\"pagination\":"
        + "{\"itemsPerPage\":2,\"pageNumber\":1,\"nextPage\":\"https://evil.example/console/v1/keys?page=2&limit=2\"}}"));
    server.enqueue(json(200, "{\"message\":\"ok\",\"data\":[" + data(NEW_KEY, "deactivated") + "," + data(KEY,
        "active") + "],\"pagination\":{\"nextPage\":5}}"));
    server.enqueue(json(200, "{\"message\":\"ok\",\"data\":[],\"pagination\":{\"nextPage\":null}}"));

    List<StatsigKey> listed = client.list();

    assertThat(listed).extracting(k -> k.key().reveal()).containsExactly(KEY, NEW_KEY);
    assertThat(take().getPath()).isEqualTo("/console/v1/keys?limit=2&page=1");
    assertThat(take().getPath()).isEqualTo("/console/v1/keys?limit=2&page=2");
    assertThat(take().getPath()).isEqualTo("/console/v1/keys?limit=2&page=5");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void listRefusesANextPageThatDoesNotAdvance() {
    server.enqueue(json(200, "{\"data\":[" + data(KEY, "active") + "],\"pagination\":{\"nextPage\":"
        + "\"/console/v1/keys?page=1&limit=2\"}}"));

    Throwable t = GUARD.capture(client::list);

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(t.getMessage()).contains("nextPage");
  }

  @Test
  void aListingOfManyLargePagesStopsAtItsTotalBound() {
    // Each page under the 4 MiB an answer may have, ten of them far more than a listing may hold in all.
    String padding = "p".repeat(3 << 20);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            int page = Integer.parseInt(request.getRequestUrl().queryParameter("page"));
            String description = "checkout (m-" + page + ") " + padding;
            return json(200, "{\"data\":[" + data("secret-big" + page, "active").replace("checkout (m-1)",
                description) + "],\"pagination\":{\"nextPage\":" + (page < 10 ? page + 1 : "null") + "}}");
          }
        });

    Throwable t = GUARD.capture(client::list);

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(t.getMessage()).contains("larger than 16 MiB");
    assertThat(server.getRequestCount()).isLessThan(10);
  }

  @Test
  void listFailsClearlyPastTheBoundOfPages() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String page = request.getRequestUrl().queryParameter("page");
            int next = Integer.parseInt(page) + 1;
            return json(200, "{\"data\":[" + data("secret-page" + page + "xxxxxxxxxxxxxxxx", "active")
                + "],\"pagination\":{\"nextPage\":\"/console/v1/keys?page=" + next + "&limit=100\"}}");
          }
        });

    Throwable t = GUARD.capture(() -> client(100, 7).list());

    // a listing cut short would make the lost-key search miss a key: past the bound it fails, naming the bound
    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageContaining("past 7 pages of 100");
    assertThat(server.getRequestCount()).isEqualTo(7);
    assertThat(StatsigClient.MAX_PAGES).as("the production bound").isEqualTo(100);
  }

  @Test
  void findByDescriptionMarkerReadsEveryPage() {
    server.enqueue(json(200, "{\"data\":[" + data(KEY, "active") + "],\"pagination\":{\"nextPage\":"
        + "\"/console/v1/keys?page=2&limit=2\"}}"));
    server.enqueue(json(200, "{\"data\":[" + data(NEW_KEY, "active").replace("checkout (m-1)", "x (m-2)")
        + "],\"pagination\":{\"nextPage\":null}}"));

    assertThat(client.findByDescriptionMarker("m-2")).map(k -> k.key().reveal()).contains(NEW_KEY);
  }
}
