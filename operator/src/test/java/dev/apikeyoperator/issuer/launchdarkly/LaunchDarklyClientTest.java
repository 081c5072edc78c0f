package dev.apikeyoperator.issuer.launchdarkly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeySpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeyType;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyRole;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.transport.VendorRateLimitedException;
import dev.apikeyoperator.transport.VendorUnauthorizedException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request shapes of the LaunchDarkly client, and answers the simulator does not give: nothing leaks a secret. */
class LaunchDarklyClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "api-0a1b2c3d-credential-of-the-provider";
  private static final String SDK = "sdk-5f4e3d2c-the-minted-key-value";
  private static final List<Throwable> THROWN = new ArrayList<>();

  private MockWebServer server;
  private LaunchDarklyClient client;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(2, TimeUnit.SECONDS).build();
    client = new LaunchDarklyClient(http, server.url("/").toString(), KeyValue.of(TOKEN + "\n"));
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @AfterAll
  static void noSecretInAnyException() {
    assertThat(THROWN).hasSizeGreaterThan(4);
    for (Throwable t : THROWN) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(TOKEN).doesNotContain(SDK);
    }
  }

  private static Throwable thrown(Runnable call) {
    Throwable t = catchThrowable(call::run);
    assertThat(t).isNotNull();
    THROWN.add(t);
    return t;
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    return r;
  }

  @Test
  void anSdkKeyIsCreatedOnTheBetaApiWithTheTokenAloneInAuthorization() throws Exception {
    server.enqueue(json(201, "{\"key\":\"shop-checkout-7kq2ab\",\"kind\":\"sdk\",\"value\":\"" + SDK + "\"}"));
    LaunchDarklyClient.SdkKey key = client.createSdkKey("shop", "production", "shop-checkout-7kq2ab",
        "shop-checkout-7kq2ab", "sdk", "checkout service");
    assertThat(key.value().reveal()).isEqualTo(SDK);
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/api/v2/projects/shop/environments/production/sdk-keys");
    assertThat(r.getHeader("Authorization")).isEqualTo(TOKEN);
    assertThat(r.getHeader("LD-API-Version")).isEqualTo("beta");
    JsonNode body = JSON.readTree(r.getBody().readUtf8());
    assertThat(body.get("key").asText()).isEqualTo("shop-checkout-7kq2ab");
    assertThat(body.get("kind").asText()).isEqualTo("sdk");
    assertThat(body.get("description").asText()).isEqualTo("checkout service");
  }

  @Test
  void aTokenIsCreatedOnThePinnedVersionWithItsRoleAndVersion() throws Exception {
    server.enqueue(json(201, "{\"_id\":\"t1\",\"name\":\"n\",\"token\":\"" + SDK + "\"}"));
    LaunchDarklyKeySpec spec = new LaunchDarklyKeySpec();
    spec.type = LaunchDarklyKeyType.ACCESS_TOKEN;
    spec.role = LaunchDarklyRole.WRITER;
    spec.serviceToken = false;
    com.fasterxml.jackson.databind.node.ObjectNode body = LaunchDarklyIssuer.tokenBody(spec);
    body.put("name", "shop-robot-abc123");
    assertThat(client.createToken(body).id()).isEqualTo("t1");
    RecordedRequest r = take();
    assertThat(r.getPath()).isEqualTo("/api/v2/tokens");
    assertThat(r.getHeader("LD-API-Version")).isEqualTo(LaunchDarklyClient.API_VERSION);
    JsonNode sent = JSON.readTree(r.getBody().readUtf8());
    assertThat(sent.get("role").asText()).isEqualTo("writer");
    assertThat(sent.get("serviceToken").asBoolean()).isFalse();
    assertThat(sent.get("defaultApiVersion").asInt()).isEqualTo(20240415);
    assertThat(sent.get("name").asText()).isEqualTo("shop-robot-abc123");
  }

  @Test
  void anExpiryIsSentInEpochMilliseconds() throws Exception {
    Instant at = Instant.parse("2026-12-06T13:00:00Z");
    server.enqueue(json(200, "{}"));
    client.updateSdkKey("shop", "production", "k1", at, null);
    RecordedRequest patch = take();
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(JSON.readTree(patch.getBody().readUtf8()).get("expiry").asLong()).isEqualTo(at.toEpochMilli());
    server.enqueue(json(200, "{\"_id\":\"t1\",\"token\":\"" + SDK + "\"}"));
    client.resetToken("t1", at);
    assertThat(take().getPath()).isEqualTo("/api/v2/tokens/t1/reset?expiry=" + at.toEpochMilli());
    server.enqueue(json(200, "{\"_id\":\"e\",\"apiKey\":\"" + SDK + "\",\"mobileKey\":\"mob-1\"}"));
    client.resetEnvironmentKey("shop", "production", false, at);
    assertThat(take().getPath()).isEqualTo("/api/v2/projects/shop/environments/production/apiKey?expiry="
        + at.toEpochMilli());
  }

  @Test
  void tokenUpdatesAreJsonPatch() throws Exception {
    server.enqueue(json(200, "{}"));
    client.updateTokenDescription("t1", "robot");
    JsonNode sent = JSON.readTree(take().getBody().readUtf8());
    assertThat(sent.isArray()).isTrue();
    assertThat(sent.get(0).get("op").asText()).isEqualTo("replace");
    assertThat(sent.get(0).get("path").asText()).isEqualTo("/description");
  }

  @Test
  void aPlanRefusalNamesTheSharedKeyAsTheWayOut() {
    server.enqueue(json(403, "{\"code\":\"forbidden\",\"message\":\"Your plan allows one SDK key per environment\"}"));
    Throwable t = thrown(() -> client.createSdkKey("shop", "production", "k", "k", "sdk", null));
    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageContaining("environmentSdkKey");
    assertThat(((VendorErrorException) t).permanent()).isTrue();
    server.enqueue(json(403, "{\"code\":\"forbidden\",\"message\":\"Access denied by custom role\"}"));
    assertThat(thrown(() -> client.createSdkKey("shop", "production", "k", "k", "mobile", null)))
        .isInstanceOf(VendorUnauthorizedException.class);
  }

  @Test
  void aTombstonedIdIsAPermanentConflict() {
    server.enqueue(json(409, "{\"code\":\"conflict\",\"message\":\"SDK key already exists\"}"));
    Throwable t = thrown(() -> client.createSdkKey("shop", "production", "k", "k", "sdk", null));
    assertThat(t).isInstanceOf(VendorErrorException.class).hasMessageContaining("stays taken");
  }

  @Test
  void aRateLimitIsPacedByTheResetInEpochMilliseconds() {
    long reset = System.currentTimeMillis() + 4000;
    server.enqueue(json(429, "{\"code\":\"rate_limited\",\"message\":\"slow down\"}")
        .setHeader("X-Ratelimit-Reset", Long.toString(reset)));
    Throwable t = thrown(() -> client.tokens());
    assertThat(t).isInstanceOf(VendorRateLimitedException.class);
    Duration wait = ((VendorRateLimitedException) t).retryAfter();
    assertThat(wait).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  @Test
  void aLostCreateAnswerIsAnUnknownOutcomeAndABadCredentialIsNamedWithoutItsValue() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    assertThat(thrown(() -> client.createToken(JSON.createObjectNode().put("name", "x"))))
        .isInstanceOf(VendorOutcomeUnknownException.class);
    server.enqueue(json(401, "{\"code\":\"unauthorized\",\"message\":\"Invalid access token " + TOKEN + "\"}"));
    assertThat(thrown(() -> client.checkCredentials())).isInstanceOf(VendorUnauthorizedException.class)
        .hasMessageContaining("LaunchDarkly access token");
  }

  @Test
  void aCheckSaysWhatTheTokenCannotDo() {
    server.enqueue(json(200, "{\"items\":[]}"));
    server.enqueue(json(403, "{\"code\":\"forbidden\",\"message\":\"no\"}"));
    assertThat(client.checkCredentials()).get().asString().contains("accessToken ApiKeys");
  }

  @Test
  void anEnvironmentAnswerWithoutKeysIsRefused() {
    server.enqueue(json(200, "{\"_id\":\"e\"}"));
    assertThatThrownBy(() -> client.environment("shop", "production")).isInstanceOf(VendorErrorException.class);
    server.enqueue(json(404, "{\"code\":\"not_found\"}"));
    assertThat(thrown(() -> client.environment("shop", "nope"))).hasMessageContaining("keys, not names");
  }
}
