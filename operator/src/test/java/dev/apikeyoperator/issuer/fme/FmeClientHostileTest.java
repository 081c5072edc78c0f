package dev.apikeyoperator.issuer.fme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.apikeyoperator.api.v1alpha1.AuthScheme;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.transport.VendorUnreachableException;
import dev.apikeyoperator.transport.TransportLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The FME client against an endpoint run by a hostile tenant: bounded in time, memory and pages. */
class FmeClientHostileTest {

  private static final String CREDENTIAL = "admin-cred-7f3e9b2c41d8";

  private MockWebServer server;
  private OkHttpClient http;
  private TransportLimits limits;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    http = FmeClient.defaultHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(30));
    limits = TransportLimits.DEFAULT.withDeadline(Duration.ofMillis(1500)).withMaxAnswerBytes(32 * 1024)
        .withMaxPages(4);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private FmeClient client(AuthScheme scheme, String credential) {
    return new FmeClient(http, new FmeEndpoint(server.url("/internal/api/v2").toString(), KeyValue.of(credential),
        scheme), limits);
  }

  private FmeClient client() {
    return client(AuthScheme.Bearer, CREDENTIAL);
  }

  private static FmeKeyRequest request() {
    return new FmeKeyRequest("shop-checkout-7kq2", "server_side", "ws-1", List.of("env-1"), List.of());
  }

  @Test
  void aCredentialWithAControlOrNonAsciiCharacterIsRefusedBeforeAnyHeaderWithoutQuotingIt() {
    for (AuthScheme scheme : AuthScheme.values()) {
      for (String bad : List.of("admin\u0007cred-7f3e9b", "admin-cr\u00e9d-7f3e9b", "admin-cred\r\nX-Evil: 1")) {
        Throwable t = catchThrowable(() -> client(scheme, bad));

        assertThat(t).as(scheme + " " + bad).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("FME admin credential")
            .hasMessageContaining(KeyValue.of(bad).fingerprint());
        assertThat(t.getMessage()).doesNotContain(bad).doesNotContain("7f3e9b");
      }
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aCredentialWithATrailingNewlineIsSentStripped() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"objects\":[],\"totalCount\":0}"));

    client(AuthScheme.XApiKey, CREDENTIAL + "\n").checkCredentials();

    RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
    assertThat(r.getHeader("x-api-key")).isEqualTo(CREDENTIAL);
  }

  @Test
  void aGzipBombAnsweringACreateIsAnUnknownOutcomeNamingTheCap() throws IOException {
    Buffer bomb = new Buffer();
    try (BufferedSink sink = Okio.buffer(new GzipSink(bomb))) {
      for (int i = 0; i < 32; i++) {
        sink.write(new byte[1024 * 1024]);
      }
    }
    server.enqueue(new MockResponse().setResponseCode(201).setHeader("Content-Encoding", "gzip").setBody(bomb));

    Throwable t = catchThrowable(() -> client().create(request()));

    assertThat(t).isInstanceOf(VendorOutcomeUnknownException.class)
        .hasMessageContaining("FME create key")
        .hasMessageContaining("cap of 32768 bytes after gzip inflation")
        .hasMessageContaining("may have been created");
  }

  @Test
  void aTricklingListingHitsTheDeadline() {
    server.enqueue(new MockResponse().setBody("{\"objects\":[" + " ".repeat(200) + "],\"totalCount\":0}")
        .throttleBody(1, 500, TimeUnit.MILLISECONDS));

    Throwable t = catchThrowable(() -> client().listWorkspaces());

    assertThat(t).isInstanceOf(VendorUnreachableException.class)
        .hasMessageContaining("FME list projects")
        .hasMessageContaining("deadline of 1500 ms");
  }

  @Test
  void anEndlessListingStopsAtThePageCapWithAClearError() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        int offset = Integer.parseInt(request.getRequestUrl().queryParameter("offset"));
        return new MockResponse().setBody(FmeClientTest.workspacePage(offset, 100, 100_000_000));
      }
    });

    Throwable t = catchThrowable(() -> client().listWorkspaces());

    assertThat(t).isInstanceOf(VendorErrorException.class)
        .hasMessageContaining("FME list projects")
        .hasMessageContaining("past 4 pages of 100");
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void theProductionBoundsAreSet() {
    assertThat(TransportLimits.DEFAULT.maxPages()).isEqualTo(100);
    assertThat(TransportLimits.DEFAULT.deadline()).isEqualTo(Duration.ofSeconds(30));
    assertThat(TransportLimits.DEFAULT.maxAnswerBytes()).isEqualTo(4L << 20);
  }
}
