package dev.apikeyoperator.issuer.statsig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.simulator.StatsigSimKey;
import dev.apikeyoperator.simulator.StatsigSimulator;
import dev.apikeyoperator.simulator.StatsigSimulatorConfig;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.transport.VendorRateLimitedException;
import dev.apikeyoperator.transport.VendorUnauthorizedException;
import dev.apikeyoperator.transport.VendorUnreachableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the embedded Statsig simulator. */
class StatsigClientSimulatorTest {

  private static final SecretLeakGuard GUARD = new SecretLeakGuard();

  private StatsigSimulator sim;
  private OkHttpClient http;
  private StatsigClient client;

  @BeforeAll
  static void attachLogs() {
    GUARD.attachLogs();
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
  void start() {
    sim = StatsigSimulator.start(StatsigSimulatorConfig.defaults().port(0));
    GUARD.secret(sim.consoleKey());
    http =
        new OkHttpClient.Builder()
            .connectTimeout(2, TimeUnit.SECONDS)
            .readTimeout(3, TimeUnit.SECONDS)
            .writeTimeout(3, TimeUnit.SECONDS)
            .build(); // retryOnConnectionFailure left at OkHttp's default (true): a create must still be sent once
    client = new StatsigClient(http, new StatsigEndpoint(sim.baseUrl(), KeyValue.of(sim.consoleKey())));
  }

  @AfterEach
  void stop() {
    GUARD.secrets(sim.keys().stream().map(StatsigSimKey::key).toList());
    sim.close();
  }

  private static StatsigKeyRequest request(String type, String marker) {
    return new StatsigKeyRequest(type, "checkout service (" + marker + ")", List.of(), List.of("production"),
        "checkout", List.of("billing"));
  }

  private StatsigKey create(String type, String marker) {
    StatsigKey key = client.create(request(type, marker));
    GUARD.secret(key.key().reveal());
    return key;
  }

  private StatsigSimKey simKey(KeyValue key) {
    return sim.keys().stream().filter(k -> k.key().equals(key.reveal())).findFirst().orElseThrow();
  }

  // ---------------------------------------------------------------- create

  @Test
  void createsEachTypeWithItsPrefixAndFields() {
    StatsigKey server = create("SERVER", "shop-checkout-a1");
    StatsigKey clientKey = create("CLIENT", "shop-checkout-a2");
    StatsigKey console =
        client.create(new StatsigKeyRequest("CONSOLE", "ops console (shop-ops-a3)", List.of("omni_read_only"), null,
            null, null));
    GUARD.secret(console.key().reveal());

    assertThat(server.key().reveal()).startsWith("secret-");
    assertThat(clientKey.key().reveal()).startsWith("client-");
    assertThat(console.key().reveal()).startsWith("console-");
    assertThat(server.type()).isEqualTo("SERVER");
    assertThat(clientKey.type()).isEqualTo("CLIENT");
    assertThat(console.type()).isEqualTo("CONSOLE");
    assertThat(console.scopes()).containsExactly("omni_read_only");
    assertThat(console.primaryTargetApp()).isNull();

    assertThat(server.description()).isEqualTo("checkout service (shop-checkout-a1)");
    assertThat(server.environments()).containsExactly("production");
    assertThat(server.primaryTargetApp()).isEqualTo("checkout");
    assertThat(server.secondaryTargetApps()).containsExactly("billing");
    assertThat(server.status()).isEqualTo("active");
    assertThat(server.active()).isTrue();

    StatsigSimKey stored = simKey(server.key());
    assertThat(stored.description()).isEqualTo("checkout service (shop-checkout-a1)");
    assertThat(stored.targetApp()).isEqualTo("checkout");
    assertThat(sim.createCount()).isEqualTo(3);
    assertThat(sim.activeKeys()).hasSize(3);
  }

  @Test
  void keyToStringNeverShowsTheValue() {
    StatsigKey key = create("SERVER", "m-tostring");

    assertThat(key.toString()).doesNotContain(key.key().reveal()).contains(key.key().fingerprint());
    assertThat(new StatsigEndpoint(sim.baseUrl(), KeyValue.of(sim.consoleKey())).toString())
        .doesNotContain(sim.consoleKey());
  }

  @Test
  void invalidTypeIsPermanent400() {
    Throwable t = GUARD.capture(() -> client.create(request("SCIM", "m-scim")));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) t).status()).isEqualTo(400);
    assertThat(((VendorErrorException) t).permanent()).isTrue();
    assertThat(sim.createCount()).isZero();
  }

  @Test
  void tooLongDescriptionIsPermanent400WithTheVendorsMessage() {
    String longDescription = "x".repeat(1001) + " (m-long)";

    Throwable t = GUARD.capture(() -> client.create(new StatsigKeyRequest("SERVER", longDescription, null, null,
        null, null)));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    VendorErrorException e = (VendorErrorException) t;
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.permanent()).isTrue();
    assertThat(e.getMessage()).contains("1000").contains("create key");
    assertThat(e.getMessage().length()).isLessThan(600);
    assertThat(sim.createCount()).isZero();
  }

  // ---------------------------------------------------------------- read

  @Test
  void readReturnsTheKeyAndUnknownIsEmpty() {
    StatsigKey created = create("SERVER", "m-read");

    Optional<StatsigKey> read = client.read(created.key());

    assertThat(read).contains(created);
    assertThat(client.read(KeyValue.of("secret-doesnotexist0000000000000000000000000"))).isEmpty();
  }

  @Test
  void outsideDeactivationIsVisibleThroughRead() {
    StatsigKey created = create("SERVER", "m-outside");

    sim.deactivateOutside(created.key().reveal());

    StatsigKey read = client.read(created.key()).orElseThrow();
    assertThat(read.status()).isEqualTo("deactivated");
    assertThat(read.active()).isFalse();
  }

  @Test
  void outsideDeletionReadsAsEmpty() {
    StatsigKey created = create("CLIENT", "m-outside-del");

    sim.deleteOutside(created.key().reveal());

    assertThat(client.read(created.key())).isEmpty();
  }

  // ---------------------------------------------------------------- update

  @Test
  void updateInPlaceKeepsTheSameKeyAndType() {
    StatsigKey created = create("SERVER", "m-upd");

    client.update(created.key(),
        new StatsigKeyUpdate("new words (m-upd)", List.of("client_download_config_specs"), List.of("staging"),
            "other-app", List.of()));
    StatsigKey updated = client.read(created.key()).orElseThrow();

    assertThat(updated.key()).isEqualTo(created.key());
    assertThat(updated.type()).isEqualTo("SERVER");
    assertThat(updated.description()).isEqualTo("new words (m-upd)");
    assertThat(updated.scopes()).containsExactly("client_download_config_specs");
    assertThat(updated.environments()).containsExactly("staging");
    assertThat(updated.primaryTargetApp()).isEqualTo("other-app");
    assertThat(updated.secondaryTargetApps()).isEmpty();
    assertThat(client.read(created.key())).contains(updated);
    assertThat(sim.createCount()).isEqualTo(1);
    assertThat(sim.keys()).hasSize(1);
  }

  @Test
  void updateOmitsNullFields() {
    StatsigKey created = create("SERVER", "m-partial");

    client.update(created.key(), new StatsigKeyUpdate("only this (m-partial)", null, null, null, null));
    StatsigKey updated = client.read(created.key()).orElseThrow();

    assertThat(updated.description()).isEqualTo("only this (m-partial)");
    assertThat(updated.environments()).containsExactly("production");
    assertThat(updated.primaryTargetApp()).isEqualTo("checkout");
    assertThat(updated.secondaryTargetApps()).containsExactly("billing");
  }

  @Test
  void updateOfAnUnknownKeyIsPermanent404() {
    StatsigKey created = create("SERVER", "m-upd404");
    sim.deleteOutside(created.key().reveal());

    Throwable t = GUARD.capture(() -> client.update(created.key(), new StatsigKeyUpdate("x (m)", null, null, null,
        null)));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) t).status()).isEqualTo(404);
    assertThat(((VendorErrorException) t).permanent()).isTrue();
  }

  @Test
  void updateRefusedByTheVendorIs400() {
    StatsigKey created = create("CLIENT", "m-upd400");

    Throwable t = GUARD.capture(() -> client.update(created.key(),
        new StatsigKeyUpdate(null, List.of("can_access_keys"), null, null, null)));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) t).status()).isEqualTo(400);
    assertThat(((VendorErrorException) t).permanent()).isTrue();
  }

  // ---------------------------------------------------------------- rotate, deactivate, delete

  @Test
  void rotateReturnsANewKeyAndTheOldOneReadsAsEmpty() {
    StatsigKey old = create("SERVER", "m-rot");

    StatsigKey fresh = client.rotate(old.key());
    GUARD.secret(fresh.key().reveal());

    assertThat(fresh.key()).isNotEqualTo(old.key());
    assertThat(fresh.key().reveal()).startsWith("secret-");
    assertThat(fresh.type()).isEqualTo("SERVER");
    assertThat(fresh.description()).isEqualTo(old.description());
    assertThat(fresh.active()).isTrue();
    assertThat(client.read(old.key())).isEmpty();
    assertThat(client.read(fresh.key())).contains(fresh);
    assertThat(sim.activeKeys()).extracting(StatsigSimKey::key).containsExactly(fresh.key().reveal());
  }

  @Test
  void rotateOfAnUnknownKeyIsPermanent404() {
    StatsigKey old = create("SERVER", "m-rot404");
    GUARD.secret(client.rotate(old.key()).key().reveal()); // the old key is now deleted

    Throwable t = GUARD.capture(() -> client.rotate(old.key()));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) t).status()).isEqualTo(404);
    assertThat(((VendorErrorException) t).permanent()).isTrue();
  }

  @Test
  void deactivateKeepsTheKeyReadableButInactive() {
    StatsigKey key = create("CLIENT", "m-deact");

    client.deactivate(key.key());
    client.deactivate(key.key()); // idempotent

    assertThat(client.read(key.key()).orElseThrow().status()).isEqualTo("deactivated");
    assertThat(simKey(key.key()).status()).isEqualTo(StatsigSimKey.DEACTIVATED);
    assertThat(sim.activeKeys()).isEmpty();
  }

  @Test
  void deactivateOfAnUnknownKeyIsPermanent404() {
    StatsigKey key = create("CLIENT", "m-deact404");
    sim.deleteOutside(key.key().reveal());

    Throwable t = GUARD.capture(() -> client.deactivate(key.key()));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) t).status()).isEqualTo(404);
    assertThat(((VendorErrorException) t).permanent()).isTrue();
  }

  @Test
  void deleteRemovesTheKeyAndASecondDeleteIsSuccess() {
    StatsigKey key = create("SERVER", "m-del");

    client.delete(key.key());
    client.delete(key.key()); // 404 = already gone

    assertThat(client.read(key.key())).isEmpty();
    assertThat(simKey(key.key()).isDeleted()).isTrue();
    assertThat(sim.requestCounts()).containsEntry("DELETE /keys/{id} 200", 1).containsEntry("DELETE /keys/{id} 404", 1);
  }

  // ---------------------------------------------------------------- list, find

  @Test
  void listFollowsPagesBeyondOneHundredKeys() {
    sim.setMutationLimits(0, 0);
    Set<KeyValue> created = new HashSet<>();
    for (int i = 0; i < 205; i++) {
      created.add(create(i % 2 == 0 ? "SERVER" : "CLIENT", "m-list-" + i).key());
    }
    StatsigKey deleted = create("SERVER", "m-list-deleted");
    client.delete(deleted.key());

    List<StatsigKey> listed = client.list();

    assertThat(listed).hasSize(205);
    assertThat(listed.stream().map(StatsigKey::key).collect(Collectors.toSet())).isEqualTo(created);
    assertThat(sim.requestCounts()).containsEntry("GET /keys 200", 3);
  }

  @Test
  void listWithASmallPageSizeAndDeactivatedKeys() {
    sim.rules().setOtherKeyTypesListed(false); // the page count below is of these five keys only
    StatsigClient smallPages =
        new StatsigClient(http, new StatsigEndpoint(sim.baseUrl(), KeyValue.of(sim.consoleKey())), 2, StatsigClient.MAX_PAGES);
    StatsigKey a = create("SERVER", "m-a");
    StatsigKey b = create("SERVER", "m-b");
    StatsigKey c = create("CLIENT", "m-c");
    StatsigKey d = create("CLIENT", "m-d");
    StatsigKey e = create("SERVER", "m-e");
    client.deactivate(c.key());

    List<StatsigKey> listed = smallPages.list();

    assertThat(listed).extracting(StatsigKey::key).containsExactly(a.key(), b.key(), c.key(), d.key(), e.key());
    assertThat(listed.get(2).active()).isFalse();
    assertThat(sim.requestCounts()).containsEntry("GET /keys 200", 3);
  }

  @Test
  void listOfNoKeysIsEmpty() {
    assertThat(client.list()).isEmpty();
  }

  @Test
  void findByDescriptionMarker() {
    create("SERVER", "shop-checkout-x1");
    StatsigKey wanted = create("SERVER", "shop-checkout-x2");
    create("SERVER", "shop-checkout-x2-other");
    client.create(new StatsigKeyRequest("SERVER", "(shop-checkout-x2) in the middle", null, null, null, null));

    assertThat(client.findByDescriptionMarker("shop-checkout-x2")).contains(wanted);
    assertThat(client.findByDescriptionMarker("shop-checkout-x3")).isEmpty();
    assertThat(client.findByDescriptionMarker("checkout-x2")).isEmpty();
  }

  @Test
  void findByDescriptionMarkerPrefersAnActiveKey() {
    StatsigKey first = create("SERVER", "dup");
    StatsigKey second = create("SERVER", "dup");
    client.deactivate(first.key());

    assertThat(client.findByDescriptionMarker("dup")).map(StatsigKey::key).contains(second.key());
  }

  // ---------------------------------------------------------------- lost answers

  @Test
  void droppedCreateIsOutcomeUnknownSentOnceAndFoundByItsMarker() {
    client.create(request("SERVER", "shop-checkout-before")); // a pooled connection: OkHttp would retry on it
    sim.faults().setDropCreateResponses(1);

    Throwable t = GUARD.capture(() -> client.create(request("SERVER", "shop-checkout-lost1")));

    assertThat(t).isInstanceOf(VendorOutcomeUnknownException.class);
    assertThat(sim.createCount()).as("never resent, even by OkHttp").isEqualTo(2);
    assertThat(sim.requestCounts()).containsEntry("POST /keys dropped", 1);
    Optional<StatsigKey> found = client.findByDescriptionMarker("shop-checkout-lost1");
    assertThat(found).isPresent();
    assertThat(found.get().key().reveal()).isEqualTo(sim.keys().get(1).key());
    assertThat(found.get().active()).isTrue();
  }

  // ---------------------------------------------------------------- credentials

  @Test
  void checkCredentialsPasses() {
    client.checkCredentials();

    assertThat(sim.requestCounts()).containsEntry("GET /keys 200", 1);
  }

  @Test
  void unknownConsoleKeyIs401() {
    StatsigClient wrong =
        new StatsigClient(http, new StatsigEndpoint(sim.baseUrl(), KeyValue.of("console-unknownABCDEFGHIJ12345")));
    GUARD.secret("console-unknownABCDEFGHIJ12345");

    Throwable t = GUARD.capture(wrong::checkCredentials);

    assertThat(t).isInstanceOf(VendorUnauthorizedException.class);
    assertThat(((VendorUnauthorizedException) t).status()).isEqualTo(401);
    assertThat(t.getMessage()).contains("not an active console key").contains("can_access_keys");
    assertThat(GUARD.capture(() -> wrong.create(request("SERVER", "m-401")))).isInstanceOf(
        VendorUnauthorizedException.class);
    assertThat(sim.createCount()).isZero();
  }

  @Test
  void deactivatedConsoleKeyIs401() {
    sim.deactivateOutside(sim.consoleKey());

    Throwable t = GUARD.capture(() -> client.list());

    assertThat(t).isInstanceOf(VendorUnauthorizedException.class);
    assertThat(((VendorUnauthorizedException) t).status()).isEqualTo(401);
  }

  @Test
  void consoleKeyWithoutCanAccessKeysIs403() {
    sim.addConsoleKey("console-readonlyKEY0123456789", List.of("omni_read_only"));
    GUARD.secret("console-readonlyKEY0123456789");
    StatsigClient readOnly =
        new StatsigClient(http, new StatsigEndpoint(sim.baseUrl(), KeyValue.of("console-readonlyKEY0123456789")));

    Throwable t = GUARD.capture(readOnly::checkCredentials);

    assertThat(t).isInstanceOf(VendorUnauthorizedException.class);
    assertThat(((VendorUnauthorizedException) t).status()).isEqualTo(403);
    assertThat(t.getMessage()).contains("insufficient permissions").contains("can_access_keys");
  }

  @Test
  void consoleKeyWithATrailingNewlineStillWorks() {
    StatsigClient fromSecret =
        new StatsigClient(http, new StatsigEndpoint(sim.baseUrl() + "/", KeyValue.of(sim.consoleKey() + "\n")));

    fromSecret.checkCredentials();
  }

  // ---------------------------------------------------------------- limits, faults

  @Test
  void mutationLimitIsRateLimitedWithRetryAfter() {
    sim.rules().setRateLimitRetryAfter(true); // how a Retry-After is read; Statsig documents none (see simulator/README.md)
    sim.setMutationLimits(2, 900);
    StatsigKey key = create("SERVER", "m-429");
    client.deactivate(key.key());

    Throwable t = GUARD.capture(() -> client.create(request("SERVER", "m-429-b")));

    assertThat(t).isInstanceOf(VendorRateLimitedException.class);
    Duration retryAfter = ((VendorRateLimitedException) t).retryAfter();
    assertThat(retryAfter).isNotNull().isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertThat(t.getMessage()).contains("429");
    assertThat(sim.createCount()).isEqualTo(1);
    assertThat(client.read(key.key())).isPresent(); // reads are not mutations
  }

  @Test
  void errorRateIsANonPermanent5xx() {
    sim.faults().setErrorRate(1.0);

    Throwable t = GUARD.capture(() -> client.read(KeyValue.of("secret-abcdefghijklmnopqrstuvwxyz0123456789AB")));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) t).status()).isEqualTo(500);
    assertThat(((VendorErrorException) t).permanent()).isFalse();
  }

  @Test
  void downIsANonPermanent503() {
    sim.faults().setDown(true);

    Throwable t = GUARD.capture(() -> client.create(request("SERVER", "m-down")));

    assertThat(t).isInstanceOf(VendorErrorException.class);
    assertThat(((VendorErrorException) t).status()).isEqualTo(503);
    assertThat(((VendorErrorException) t).permanent()).isFalse();
    assertThat(sim.createCount()).isZero();
  }

  @Test
  void nothingListeningIsUnreachableEvenForACreate() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StatsigClient nowhere =
        new StatsigClient(http, new StatsigEndpoint("http://127.0.0.1:" + port + "/console/v1",
            KeyValue.of(sim.consoleKey())));

    assertThat(GUARD.capture(() -> nowhere.create(request("SERVER", "m-nowhere"))))
        .isInstanceOf(VendorUnreachableException.class);
    assertThat(GUARD.capture(() -> nowhere.rotate(KeyValue.of("secret-nowhere0123456789abcdefghij"))))
        .isInstanceOf(VendorUnreachableException.class);
    assertThat(GUARD.capture(nowhere::list)).isInstanceOf(VendorUnreachableException.class);
  }

  @Test
  void keysLeakInNoExceptionOfTheFailuresAbove() {
    // provoke failures that carry key values in their request paths, then check the whole suite so far
    StatsigKey key = create("SERVER", "m-leak");
    sim.deleteOutside(key.key().reveal());
    GUARD.capture(() -> client.update(key.key(), new StatsigKeyUpdate("x (m)", null, null, null, null)));
    GUARD.capture(() -> client.rotate(key.key()));
    GUARD.capture(() -> client.deactivate(key.key()));
    sim.faults().setErrorRate(1.0);
    GUARD.capture(() -> client.delete(key.key()));

    GUARD.assertNoLeaks();
  }
}
