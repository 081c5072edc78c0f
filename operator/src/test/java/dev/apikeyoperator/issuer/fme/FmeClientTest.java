package dev.apikeyoperator.issuer.fme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyoperator.api.v1alpha1.AuthScheme;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.transport.VendorRateLimitedException;
import dev.apikeyoperator.transport.VendorUnauthorizedException;
import dev.apikeyoperator.transport.VendorUnreachableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FmeClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CREDENTIAL = "admin-cred-7f3e9b2c41d8";
  private static final String KEY_VALUE = "sdk-key-a9f8e7d6c5b4a3921";

  private MockWebServer server;
  private OkHttpClient http;
  private String baseUrl;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    baseUrl = server.url("/internal/api/v2").toString();
    http = FmeClient.defaultHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private FmeClient client(AuthScheme scheme) {
    return new FmeClient(http, new FmeEndpoint(baseUrl, KeyValue.of(CREDENTIAL), scheme));
  }

  private FmeClient client() {
    return client(AuthScheme.Bearer);
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  private static String createdBody(boolean withId) {
    return "{\"organization\":{\"type\":\"organization\",\"id\":\"org1\"},"
        + "\"environments\":[{\"type\":\"environment\",\"id\":\"env-1\"}],"
        + "\"name\":\"shop-checkout-7kq2\",\"createdBy\":{\"type\":\"user\",\"id\":\"u1\"},"
        + "\"createdAt\":1764000000000,\"apiKeyType\":\"server_side\","
        + "\"workspace\":{\"type\":\"workspace\",\"id\":\"ws-1\"},\"roles\":[],\"type\":\"api_key\","
        + (withId ? "\"id\":\"key-id-42\"," : "")
        + "\"key\":\"" + KEY_VALUE + "\"}";
  }

  private static FmeKeyRequest sdkRequest() {
    return new FmeKeyRequest("shop-checkout-7kq2", "server_side", "ws-1", List.of("env-1"), List.of());
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the server").isNotNull();
    return r;
  }

  // ---------------------------------------------------------------- request shape

  @Test
  void createSendsExactBodyAndHeadersWithBearer() throws Exception {
    server.enqueue(json(200, createdBody(true)));

    client(AuthScheme.Bearer).create(sdkRequest());

    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/internal/api/v2/apiKeys");
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + CREDENTIAL);
    assertThat(r.getHeader("x-api-key")).isNull();
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    assertThat(r.getHeader("Accept")).isEqualTo("application/json");
    JsonNode body = JSON.readTree(r.getBody().readUtf8());
    assertThat(body)
        .isEqualTo(
            JSON.readTree(
                "{\"name\":\"shop-checkout-7kq2\",\"apiKeyType\":\"server_side\","
                    + "\"workspace\":{\"type\":\"workspace\",\"id\":\"ws-1\"},"
                    + "\"environments\":[{\"type\":\"environment\",\"id\":\"env-1\"}],\"roles\":[]}"));
  }

  @Test
  void createSendsXApiKeyHeaderAndGlobalAdminShape() throws Exception {
    server.enqueue(json(201, "{\"key\":\"adm-1234567890\"}"));

    client(AuthScheme.XApiKey)
        .create(new FmeKeyRequest("ops-global", "admin", null, List.of(), List.of("API_APIKEY", "API_ADMIN")));

    RecordedRequest r = take();
    assertThat(r.getHeader("x-api-key")).isEqualTo(CREDENTIAL);
    assertThat(r.getHeader("Authorization")).isNull();
    JsonNode body = JSON.readTree(r.getBody().readUtf8());
    assertThat(body)
        .isEqualTo(
            JSON.readTree(
                "{\"name\":\"ops-global\",\"apiKeyType\":\"admin\",\"workspace\":null,"
                    + "\"environments\":[],\"roles\":[\"API_APIKEY\",\"API_ADMIN\"]}"));
    // field order as documented
    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("name", "apiKeyType", "workspace", "environments", "roles");
  }

  @Test
  void adminKeyWithoutRolesIsRefusedBeforeAnyCall() {
    assertThatThrownBy(
            () -> client().create(new FmeKeyRequest("x", "admin", null, List.of(), List.of())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void baseUrlWithTrailingSlashWorks() throws Exception {
    server.enqueue(json(200, "{\"objects\":[],\"offset\":0,\"limit\":1,\"totalCount\":0}"));
    new FmeClient(http, new FmeEndpoint(baseUrl + "/", KeyValue.of(CREDENTIAL), AuthScheme.Bearer))
        .checkCredentials();
    assertThat(take().getPath()).isEqualTo("/internal/api/v2/workspaces?offset=0&limit=1");
  }

  // ---------------------------------------------------------------- create responses

  @Test
  void create200WithId() {
    server.enqueue(json(200, createdBody(true)));

    FmeCreatedKey key = client().create(sdkRequest());

    assertThat(key.id()).isEqualTo("key-id-42");
    assertThat(key.name()).isEqualTo("shop-checkout-7kq2");
    assertThat(key.value().reveal()).isEqualTo(KEY_VALUE);
    assertThat(key.createdAt()).isEqualTo(Instant.ofEpochMilli(1764000000000L));
  }

  @Test
  void create201WithoutIdAndWithoutCreatedAt() {
    server.enqueue(json(201, "{\"key\":\"" + KEY_VALUE + "\"}"));
    Instant before = Instant.now();

    FmeCreatedKey key = client().create(sdkRequest());

    assertThat(key.id()).isNull();
    assertThat(key.name()).isEqualTo("shop-checkout-7kq2"); // falls back to the requested name
    assertThat(key.value().reveal()).isEqualTo(KEY_VALUE);
    assertThat(key.createdAt()).isBetween(before, Instant.now());
  }

  @Test
  void create2xxWithoutKeyIsAPermanentError() {
    server.enqueue(json(201, "{\"id\":\"key-id-1\",\"name\":\"x\"}"));

    Throwable t = catchThrowable(() -> client().create(sdkRequest()));

    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageContaining("no key value");
    assertThat(((VendorErrorException) t).status()).isEqualTo(201);
    assertThat(((VendorErrorException) t).permanent()).isTrue();
  }

  @Test
  void create2xxWithNonJsonBodyIsAnErrorThatDoesNotQuoteTheBody() {
    server.enqueue(json(200, "key=" + KEY_VALUE + " <html>"));

    Throwable t = catchThrowable(() -> client().create(sdkRequest()));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(t.getMessage()).doesNotContain(KEY_VALUE);
    assertThat(t.getCause()).isNull();
  }

  @Test
  void createWith400IsPermanentAndQuotesTheBody() {
    server.enqueue(json(400, "{\"message\":\"environment env-1 does not belong to workspace ws-1\"}"));

    Throwable t = catchThrowable(() -> client().create(sdkRequest()));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    VendorErrorException e = (VendorErrorException) t;
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.permanent()).isTrue();
    assertThat(e.getMessage()).contains("create key", "400", "does not belong to workspace ws-1");
  }

  @Test
  void createWith408IsNotPermanent() {
    server.enqueue(json(408, "{\"code\":408}"));
    VendorErrorException e = (VendorErrorException) catchThrowable(() -> client().create(sdkRequest()));
    assertThat(e.status()).isEqualTo(408);
    assertThat(e.permanent()).isFalse();
  }

  @Test
  void errorBodyIsTruncatedTo300CharsAndCredentialRedacted() {
    String longBody = "{\"message\":\"bad token " + CREDENTIAL + "\",\"pad\":\"" + "x".repeat(1000) + "\"}";
    server.enqueue(json(422, longBody));

    Throwable t = catchThrowable(() -> client().create(sdkRequest()));

    assertThat(t.getMessage()).doesNotContain(CREDENTIAL).contains("bad token <redacted>");
    assertThat(t.getMessage()).doesNotContain("x".repeat(301));
    assertThat(t.getMessage().length()).isLessThan(300 + 100);
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", server.url("/elsewhere")));

    Throwable t = catchThrowable(() -> client(AuthScheme.XApiKey).listWorkspaces());

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) t).status()).isEqualTo(302);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- revoke

  @Test
  void revokeTellsRevokedFrom404() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200));
    server.enqueue(new MockResponse().setResponseCode(204));
    server.enqueue(json(404, "{\"code\":404,\"message\":\"not found\"}"));
    FmeClient client = client();

    assertThat(client.revoke("key-id-42")).isTrue();
    assertThat(client.revoke("key-id-43")).isTrue();
    assertThat(client.revoke("key-id-44")).isFalse(); // "does not exist or no access"

    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("DELETE");
    assertThat(r.getPath()).isEqualTo("/internal/api/v2/apiKeys/key-id-42");
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + CREDENTIAL);
    assertThat(take().getPath()).endsWith("/apiKeys/key-id-43");
    assertThat(take().getPath()).endsWith("/apiKeys/key-id-44");
  }

  @Test
  void revokeUrlEncodesThePathSegment() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));

    client().revoke("a/b c?d#e");

    assertThat(take().getPath()).isEqualTo("/internal/api/v2/apiKeys/a%2Fb%20c%3Fd%23e");
  }

  @Test
  void revoke500IsTransient() {
    server.enqueue(json(500, "{\"message\":\"internal\"}"));

    Throwable t = catchThrowable(() -> client().revoke("key-id-42"));

    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageContaining("revoke key").hasMessageContaining("500");
    assertThat(((VendorErrorException) t).status()).isEqualTo(500);
    assertThat(((VendorErrorException) t).permanent()).isFalse();
  }

  @Test
  void revoke400IsPermanent() {
    server.enqueue(json(400, "{\"message\":\"bad id\"}"));

    Throwable t = catchThrowable(() -> client().revoke("key-id-42"));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) t).permanent()).isTrue();
  }

  @Test
  void revokeIoFailureIsUnreachableEvenAfterTheRequestWasSent() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

    assertThatThrownBy(() -> client().revoke("key-id-42")).isInstanceOf(VendorUnreachableException.class);
  }

  // ---------------------------------------------------------------- auth failures

  @Test
  void unauthorized401() {
    server.enqueue(json(401, "{\"code\":401,\"message\":\"Unauthorized\"}"));

    Throwable t = catchThrowable(() -> client().listWorkspaces());

    assertThat(t)
        .isInstanceOf(VendorUnauthorizedException.class)
        .hasMessageContaining("401")
        .hasMessageContaining("credentials Secret")
        .hasMessageContaining("API_ALL_GRANTED")
        .hasMessageContaining("API_APIKEY");
    assertThat(((VendorUnauthorizedException) t).status()).isEqualTo(401);
  }

  @Test
  void forbidden403() {
    server.enqueue(json(403, "{\"message\":\"Forbidden\"}"));

    Throwable t = catchThrowable(() -> client().create(sdkRequest()));

    assertThat(t)
        .isInstanceOf(VendorUnauthorizedException.class)
        .hasMessageContaining("403")
        .hasMessageContaining("API_ALL_GRANTED or API_APIKEY");
    assertThat(((VendorUnauthorizedException) t).status()).isEqualTo(403);
  }

  @Test
  void checkCredentialsCallsWorkspacesWithLimitOne() throws Exception {
    server.enqueue(json(200, "{\"objects\":[{\"id\":\"ws-1\",\"name\":\"Shop\"}],\"offset\":0,\"limit\":1,\"totalCount\":5}"));
    server.enqueue(json(401, "{}"));
    server.enqueue(json(401, "{}"));
    FmeClient client = client(AuthScheme.XApiKey);

    assertThat(client.checkCredentials()).isTrue();
    assertThatThrownBy(client::checkCredentials).isInstanceOf(VendorUnauthorizedException.class);

    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getPath()).isEqualTo("/internal/api/v2/workspaces?offset=0&limit=1");
    assertThat(r.getHeader("x-api-key")).isEqualTo(CREDENTIAL);
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aCredentialThatMayNotListIsToldFromABadOneByADeleteOfNothing() throws Exception {
    server.enqueue(json(401, "{\"code\":401}"));
    server.enqueue(json(404, "{\"code\":404}"));
    FmeClient client = client();

    assertThat(client.checkCredentials()).isFalse();

    take(); // the listing
    RecordedRequest probe = take();
    assertThat(probe.getMethod()).isEqualTo("DELETE");
    assertThat(probe.getPath()).startsWith("/internal/api/v2/apiKeys/" + FmeClient.PROBE_ID_PREFIX);
  }

  @Test
  void paywall402IsPermanentAndSaidInPlainWords() {
    server.enqueue(json(402, "{\"message\":\"Forbidden by Paywalls\"}"));

    Throwable t = catchThrowable(() -> client().create(new FmeKeyRequest("ops", "admin", null, List.of(),
        List.of("API_APIKEY"))));

    assertThat(t).isInstanceOf(VendorErrorException.class)
        .hasMessageContaining("plan does not include admin API keys")
        .hasMessageContaining("Forbidden by Paywalls");
    assertThat(((VendorErrorException) t).permanent()).isTrue();
  }

  // ---------------------------------------------------------------- rate limiting

  @Test
  void rateLimitedUsesTheLargerResetHeader() {
    server.enqueue(
        json(429, "{\"code\":429}")
            .setHeader("X-RateLimit-Remaining-Org", "0")
            .setHeader("X-RateLimit-Remaining-IP", "0")
            .setHeader("X-RateLimit-Reset-Seconds-Org", "3")
            .setHeader("X-RateLimit-Reset-Seconds-IP", "7")
            .setHeader("Retry-After", "100"));

    Throwable t = catchThrowable(() -> client().create(sdkRequest()));

    assertThat(t).isInstanceOf(VendorRateLimitedException.class);
    assertThat(((VendorRateLimitedException) t).retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void rateLimitedWithOnlyOneResetHeader() {
    server.enqueue(json(429, "").setHeader("X-RateLimit-Reset-Seconds-Org", "4"));
    VendorRateLimitedException e = (VendorRateLimitedException) catchThrowable(() -> client().listWorkspaces());
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void rateLimitedWithRetryAfterSeconds() {
    server.enqueue(json(429, "{\"message\":\"slow down\"}").setHeader("Retry-After", "12"));

    VendorRateLimitedException e = (VendorRateLimitedException) catchThrowable(() -> client().revoke("id-1"));

    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(12));
    assertThat(e.getMessage()).contains("429", "revoke key");
  }

  @Test
  void rateLimitedWithRetryAfterHttpDate() {
    Instant at = Instant.now().plusSeconds(60);
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(at, ZoneOffset.UTC));
    server.enqueue(json(429, "").setHeader("Retry-After", date));

    VendorRateLimitedException e = (VendorRateLimitedException) catchThrowable(() -> client().listWorkspaces());

    assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61));
  }

  @Test
  void rateLimitedWithoutHintsHasNullRetryAfter() {
    server.enqueue(json(429, "{\"code\":429}"));

    VendorRateLimitedException e = (VendorRateLimitedException) catchThrowable(() -> client().create(sdkRequest()));

    assertThat(e.retryAfter()).isNull();
  }

  // ---------------------------------------------------------------- I/O failures

  @Test
  void connectionRefusedOnCreateIsUnreachable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    FmeClient client =
        new FmeClient(
            http, new FmeEndpoint("http://127.0.0.1:" + port + "/internal/api/v2", KeyValue.of(CREDENTIAL), AuthScheme.Bearer));

    Throwable t = catchThrowable(() -> client.create(sdkRequest()));

    assertThat(t).isInstanceOf(VendorUnreachableException.class).hasMessageContaining("create key");
    assertThat(t.getMessage()).doesNotContain(CREDENTIAL);
  }

  @Test
  void unknownHostOnCreateIsUnreachable() {
    OkHttpClient noDns =
        http.newBuilder()
            .dns(host -> {
              throw new UnknownHostException("no such host: " + host);
            })
            .build();
    FmeClient client =
        new FmeClient(noDns, new FmeEndpoint("https://fme.invalid/internal/api/v2", KeyValue.of(CREDENTIAL), AuthScheme.Bearer));

    assertThatThrownBy(() -> client.create(sdkRequest())).isInstanceOf(VendorUnreachableException.class);
  }

  @Test
  void createDisconnectedAfterRequestIsOutcomeUnknown() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

    Throwable t = catchThrowable(() -> client().create(sdkRequest()));

    assertThat(t).isInstanceOf(VendorOutcomeUnknownException.class).hasMessageContaining("may have been created");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void createIsNeverRetriedEvenByAClientThatRetriesOnConnectionFailure() {
    OkHttpClient retrying = http.newBuilder().retryOnConnectionFailure(true).build();
    // a first call leaves a pooled connection: OkHttp retries failures on reused connections unless told not to
    server.enqueue(json(200, "{\"objects\":[],\"offset\":0,\"limit\":1,\"totalCount\":0}"));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(json(201, createdBody(true)));
    FmeClient client = new FmeClient(retrying, new FmeEndpoint(baseUrl, KeyValue.of(CREDENTIAL), AuthScheme.Bearer));
    client.checkCredentials();

    assertThatThrownBy(() -> client.create(sdkRequest())).isInstanceOf(VendorOutcomeUnknownException.class);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void createWithNoResponseAndReadTimeoutIsOutcomeUnknown() {
    OkHttpClient shortRead = FmeClient.defaultHttpClient(Duration.ofSeconds(2), Duration.ofMillis(300));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    FmeClient client = new FmeClient(shortRead, new FmeEndpoint(baseUrl, KeyValue.of(CREDENTIAL), AuthScheme.Bearer));

    Throwable t = catchThrowable(() -> client.create(sdkRequest()));

    assertThat(t).isInstanceOf(VendorOutcomeUnknownException.class);
    assertThat(t.getMessage()).contains("SocketTimeoutException");
  }

  @Test
  void createWithSlowResponseHeadersIsOutcomeUnknown() {
    OkHttpClient shortRead = FmeClient.defaultHttpClient(Duration.ofSeconds(2), Duration.ofMillis(300));
    server.enqueue(json(201, createdBody(true)).setHeadersDelay(1500, TimeUnit.MILLISECONDS));
    FmeClient client = new FmeClient(shortRead, new FmeEndpoint(baseUrl, KeyValue.of(CREDENTIAL), AuthScheme.Bearer));

    assertThatThrownBy(() -> client.create(sdkRequest())).isInstanceOf(VendorOutcomeUnknownException.class);
  }

  @Test
  void createWithResponseBodyCutOffIsOutcomeUnknown() {
    server.enqueue(json(201, createdBody(true)).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    Throwable t = catchThrowable(() -> client().create(sdkRequest()));

    assertThat(t).isInstanceOf(VendorOutcomeUnknownException.class);
    assertThat(t.getMessage()).doesNotContain(KEY_VALUE);
  }

  @Test
  void readTimeoutOnListIsUnreachable() {
    OkHttpClient shortRead = FmeClient.defaultHttpClient(Duration.ofSeconds(2), Duration.ofMillis(300));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    FmeClient client = new FmeClient(shortRead, new FmeEndpoint(baseUrl, KeyValue.of(CREDENTIAL), AuthScheme.Bearer));

    Throwable t = catchThrowable(client::listWorkspaces);

    assertThat(t).isInstanceOf(VendorUnreachableException.class).hasMessageContaining("list projects");
  }

  @Test
  void defaultHttpClientSettings() {
    OkHttpClient c = FmeClient.defaultHttpClient(null, null);
    assertThat(c.connectTimeoutMillis()).isEqualTo(5_000);
    assertThat(c.readTimeoutMillis()).isEqualTo(20_000);
    assertThat(c.retryOnConnectionFailure()).isFalse();
    assertThat(c.followRedirects()).isFalse();
    OkHttpClient custom = FmeClient.defaultHttpClient(Duration.ofMillis(700), Duration.ofSeconds(9));
    assertThat(custom.connectTimeoutMillis()).isEqualTo(700);
    assertThat(custom.readTimeoutMillis()).isEqualTo(9_000);
  }

  // ---------------------------------------------------------------- lookups

  @Test
  void workspacesArePagedOverThreePages() throws Exception {
    server.enqueue(json(200, workspacePage(0, 100, 250)));
    server.enqueue(json(200, workspacePage(100, 100, 250)));
    server.enqueue(json(200, workspacePage(200, 50, 250)));

    List<FmeWorkspace> all = client().listWorkspaces();

    assertThat(all).hasSize(250);
    assertThat(all.get(0)).isEqualTo(new FmeWorkspace("ws-0", "Project 0"));
    assertThat(all.get(249)).isEqualTo(new FmeWorkspace("ws-249", "Project 249"));
    assertThat(take().getPath()).isEqualTo("/internal/api/v2/workspaces?offset=0&limit=100");
    assertThat(take().getPath()).isEqualTo("/internal/api/v2/workspaces?offset=100&limit=100");
    assertThat(take().getPath()).isEqualTo("/internal/api/v2/workspaces?offset=200&limit=100");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void workspacePagingStopsOnAnEmptyPage() {
    server.enqueue(json(200, workspacePage(0, 100, 1000)));
    server.enqueue(json(200, workspacePage(100, 0, 1000)));
    server.enqueue(json(200, workspacePage(100, 100, 1000))); // must not be requested

    List<FmeWorkspace> all = client().listWorkspaces();

    assertThat(all).hasSize(100);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void workspacesWithoutObjectsArrayIsAnError() {
    server.enqueue(json(200, "{\"something\":1}"));
    assertThatThrownBy(() -> client().listWorkspaces()).isInstanceOf(VendorErrorException.class);
  }

  @Test
  void environmentsArePlainArray() throws Exception {
    server.enqueue(
        json(200, "[{\"id\":\"env-1\",\"name\":\"Production\",\"production\":true},{\"id\":\"env-2\",\"name\":\"Staging\"}]"));

    List<FmeEnvironment> envs = client().listEnvironments("ws 1");

    assertThat(envs).containsExactly(new FmeEnvironment("env-1", "Production"), new FmeEnvironment("env-2", "Staging"));
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getPath()).isEqualTo("/internal/api/v2/environments/ws/ws%201");
  }

  static String workspacePage(int offset, int count, int total) {
    StringBuilder sb = new StringBuilder("{\"objects\":[");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(',');
      }
      int n = offset + i;
      sb.append("{\"id\":\"ws-").append(n).append("\",\"name\":\"Project ").append(n)
          .append("\",\"type\":\"workspace\",\"requiresTitleAndComments\":false}");
    }
    return sb.append("],\"offset\":").append(offset).append(",\"limit\":100,\"totalCount\":").append(total).append('}')
        .toString();
  }

  // ---------------------------------------------------------------- secrets never leak

  @Test
  void keyValueAndCredentialAppearInNoExceptionMessageToStringOrLog() {
    Logger logger = (Logger) LoggerFactory.getLogger(FmeClient.class);
    Level previous = logger.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.DEBUG);
    try {
      server.enqueue(json(201, createdBody(false)));
      FmeClient client = client();
      FmeCreatedKey created = client.create(sdkRequest());
      assertThat(created.value().reveal()).isEqualTo(KEY_VALUE);
      assertThat(created.toString()).doesNotContain(KEY_VALUE).contains(created.value().fingerprint());
      assertThat(created.value().toString()).doesNotContain(KEY_VALUE);
      assertThat(new FmeEndpoint(baseUrl, KeyValue.of(CREDENTIAL), AuthScheme.Bearer).toString())
          .doesNotContain(CREDENTIAL);

      // no id was returned: revoke by value, and make every failure echo the value and the credential
      String echo = "{\"message\":\"key " + KEY_VALUE + " with token " + CREDENTIAL + "\"}";
      List<Throwable> failures = new ArrayList<>();
      for (int status : new int[] {400, 401, 403, 429, 500, 503}) {
        server.enqueue(json(status, echo));
        failures.add(catchThrowable(() -> client.revoke(created.value().reveal())));
      }
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
      failures.add(catchThrowable(() -> client.revoke(created.value().reveal())));
      // a create error cannot know a key value; it must still hide the credential
      server.enqueue(json(500, "{\"message\":\"token " + CREDENTIAL + " rejected\"}"));
      failures.add(catchThrowable(() -> client.create(sdkRequest())));
      server.enqueue(json(200, "not json " + CREDENTIAL));
      failures.add(catchThrowable(client::listWorkspaces));

      assertThat(failures).hasSize(9).allSatisfy(t -> assertThat(t).isInstanceOf(VendorException.class));
      for (Throwable t : failures) {
        for (Throwable c = t; c != null; c = c.getCause()) {
          assertThat(String.valueOf(c.getMessage())).doesNotContain(KEY_VALUE).doesNotContain(CREDENTIAL);
          assertThat(c.toString()).doesNotContain(KEY_VALUE).doesNotContain(CREDENTIAL);
        }
      }
      assertThat(failures.get(0).getMessage()).contains("<redacted>");

      assertThat(appender.list).isNotEmpty();
      for (ILoggingEvent event : appender.list) {
        assertThat(event.getFormattedMessage()).doesNotContain(KEY_VALUE).doesNotContain(CREDENTIAL);
        assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
      }
      assertThat(appender.list.get(0).getFormattedMessage()).contains("create key", "201").containsPattern("\\d+ ms");
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(previous);
    }
  }
}
