package dev.apikeyoperator.issuer.unleash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorUnauthorizedException;
import dev.apikeyoperator.transport.VendorTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the operator relies on from Unleash's Admin API, run against the simulator ({@link UnleashSimulatorContractTest})
 * and the real server ({@code UnleashServerContractIT}) alike, so the simulator cannot drift from the vendor. Every
 * secret seen is checked, at the end, to appear in no exception message and no log line of the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UnleashContract {
  /** How long a revoked token may keep working: the real server caches tokens (about 7 s after a delete). */
  static final Duration CACHE_BOUND = Duration.ofSeconds(90);
  private static final OkHttpClient HTTP = VendorTransport.defaultHttpClient(null, null);

  private final List<String> secrets = new ArrayList<>();
  private final List<Throwable> thrown = new ArrayList<>();
  private UnleashClient client;

  /** The server's root. */
  abstract String baseUrl();

  abstract String adminToken();

  @BeforeEach
  void connect() {
    client = new UnleashClient(HTTP, baseUrl(), KeyValue.of(adminToken()));
  }

  private String name(String what) {
    return "contract-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private UnleashToken create(String name, String type, List<String> projects, Instant expiresAt) {
    UnleashToken token = client.create(new UnleashTokenRequest(name, type, "development", projects, expiresAt));
    secrets.add(token.secret().reveal());
    return token;
  }

  @Test
  void aCreatedTokenIsListedByItsNameWithItsSecret() {
    String name = name("backend");
    UnleashToken created = create(name, "backend", List.of("default"), null);
    assertThat(created.tokenName()).isEqualTo(name);
    assertThat(created.type()).isEqualTo("backend");
    assertThat(created.secret().reveal()).startsWith("default:development.");

    List<UnleashToken> listed = client.listByName(name);
    assertThat(listed).singleElement().satisfies(t -> {
      assertThat(t.secret()).isEqualTo(created.secret());
      assertThat(t.type()).as("client (the stored name) is read as backend").isEqualTo("backend");
      assertThat(t.environment()).isEqualTo("development");
      assertThat(t.projects()).containsExactly("default");
      assertThat(t.expiresAt()).isNull();
    });
    assertThat(client.listAll()).anySatisfy(t -> assertThat(t.secret()).isEqualTo(created.secret()));
    assertThat(client.listByName(name("nobody"))).isEmpty();
  }

  @Test
  void aFrontendTokenForEveryProjectCarriesItsExpiry() {
    String name = name("frontend");
    Instant at = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.MILLIS);
    UnleashToken created = create(name, "frontend", List.of("*"), at);
    assertThat(client.listByName(name)).singleElement().satisfies(t -> {
      assertThat(t.type()).isEqualTo("frontend");
      assertThat(t.projects()).containsExactly("*");
      assertThat(t.expiresAt()).isEqualTo(at);
    });
    assertThat(sdkStatus("/api/frontend", created.secret())).isEqualTo(200);
    assertThat(sdkStatus("/api/client/features", created.secret())).as("a frontend token on the backend API")
        .isEqualTo(403);
  }

  @Test
  void anExpiryIsSetOnALiveTokenAndAnExpiredTokenStopsWorking() {
    String name = name("expire");
    UnleashToken created = create(name, "backend", List.of("default"), null);
    assertThat(sdkStatus("/api/client/features", created.secret())).isEqualTo(200);
    Instant later = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS);
    client.expire(created.secret(), later);
    assertThat(client.listByName(name)).singleElement().satisfies(t -> assertThat(t.expiresAt()).isEqualTo(later));

    Instant past = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
    client.expire(created.secret(), past);
    assertThat(client.listByName(name)).as("an expired token is still listed")
        .singleElement().satisfies(t -> assertThat(t.expiresAt()).isEqualTo(past));
    awaitRefused(created.secret(), Duration.ofSeconds(120)); // the real server caches tokens ~56 s past expiry
    client.delete(created.secret());
  }

  @Test
  void aDeletedTokenIsGoneAndDeletingOrExpiringItAgainIsDone() {
    String name = name("delete");
    UnleashToken created = create(name, "backend", List.of("default"), null);
    assertThat(sdkStatus("/api/client/features", created.secret())).isEqualTo(200);
    client.delete(created.secret());
    assertThat(client.listByName(name)).isEmpty();
    client.delete(created.secret());
    client.expire(created.secret(), Instant.now().plusSeconds(60));
    assertThat(client.listByName(name)).as("an expiry set on a gone token creates nothing").isEmpty();
    awaitRefused(created.secret(), CACHE_BOUND);
  }

  @Test
  void aBadAdminTokenIsRefusedWith401AndNotQuoted() {
    String bad = "*:*.0000000000000000000000000000000000000000bad";
    UnleashClient refused = new UnleashClient(HTTP, baseUrl(), KeyValue.of(bad));
    secrets.add(bad);
    Throwable e = capture(() -> refused.listByName("anything"));
    assertThat(e).isInstanceOf(VendorUnauthorizedException.class);
    assertThat(((VendorUnauthorizedException) e).status()).isEqualTo(401);
    assertThat(e.getMessage()).contains("admin token");
    assertThat(capture(refused::checkCredentials)).isInstanceOf(VendorUnauthorizedException.class);
  }

  @Test
  void aBackendTokenMayNotManageTokens() {
    UnleashToken backend = create(name("not-admin"), "backend", List.of("default"), null);
    UnleashClient asBackend = new UnleashClient(HTTP, baseUrl(), backend.secret());
    Throwable e = capture(() -> asBackend.listByName("anything"));
    assertThat(e).isInstanceOf(VendorUnauthorizedException.class);
    assertThat(((VendorUnauthorizedException) e).status()).isEqualTo(403);
    client.delete(backend.secret());
  }

  @Test
  void anUnknownProjectOrEnvironmentIsRefusedForGoodAndCreatesNothing() {
    String name = name("no-project");
    Throwable e = capture(() -> create(name, "backend", List.of("no-such-project"), null));
    assertThat(e).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) e).status()).isEqualTo(400);
    assertThat(((VendorErrorException) e).permanent()).isTrue();
    assertThat(e.getMessage()).contains("Project=no-such-project does not exist");
    Throwable env = capture(() -> client.create(new UnleashTokenRequest(name, "backend", "no-such-env",
        List.of("default"), null)));
    assertThat(env).isInstanceOf(VendorErrorException.class);
    assertThat(env.getMessage()).contains("Environment=no-such-env does not exist");
    assertThat(client.listByName(name)).isEmpty();
  }

  @Test
  void credentialsAreCheckedWithoutCreatingAnything() {
    int before = client.listAll().size();
    client.checkCredentials();
    assertThat(client.listAll()).hasSize(before);
  }

  @AfterAll
  void nothingLeaked() {
    List<String> texts = new ArrayList<>();
    for (Throwable t : thrown) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        texts.add(String.valueOf(c.getMessage()));
      }
    }
    for (String secret : secrets) {
      assertThat(texts).noneSatisfy(t -> assertThat(t).contains(secret));
    }
  }

  private Throwable capture(Runnable call) {
    try {
      call.run();
      return null;
    } catch (RuntimeException e) {
      thrown.add(e);
      return e;
    }
  }

  /** What an SDK gets from {@code path} with this token. */
  int sdkStatus(String path, KeyValue token) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
          .header("Authorization", token.reveal()).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException("the SDK call failed", e);
    }
  }

  private void awaitRefused(KeyValue token, Duration bound) {
    await().atMost(bound).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(sdkStatus("/api/client/features", token)).isEqualTo(401));
  }
}
