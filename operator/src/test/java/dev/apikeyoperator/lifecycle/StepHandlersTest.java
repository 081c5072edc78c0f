package dev.apikeyoperator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikeyoperator.MovingClock;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.api.v1alpha1.FmeProviderSpec;
import dev.apikeyoperator.api.v1alpha1.KeyStatus;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.StatsigKeySpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeyType;
import dev.apikeyoperator.api.v1alpha1.StatsigProviderSpec;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.issuer.fme.FmeVendor;
import dev.apikeyoperator.issuer.statsig.StatsigVendor;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.ledger.PendingCreation;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.status.Reason;
import dev.apikeyoperator.workload.Consumers;
import dev.apikeyoperator.workload.KeyUse;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each step handler on its own, against in-memory fakes of the ledger, the Secret, the events and the vendor. */
class StepHandlersTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private final MovingClock clock = new MovingClock(NOW);
  private final Fakes.Ledgers ledgers = new Fakes.Ledgers();
  private final Fakes.Events events = new Fakes.Events();
  private final Fakes.Secrets secrets = new Fakes.Secrets();
  private final OperatorMetrics metrics = new OperatorMetrics(clock);

  private static ApiKey fmeKey() {
    return Fakes.fmeApiKey("vendor");
  }

  private static ApiKey statsigKey() {
    ApiKey k = fmeKey();
    k.getSpec().fme = null;
    k.getSpec().statsig = new StatsigKeySpec();
    k.getSpec().statsig.type = StatsigKeyType.SERVER;
    return k;
  }

  private static Provider fmeProvider() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.fme = new FmeProviderSpec();
    return new Provider(ProviderRef.Kind.ApiKeyProvider, "vendor", "shop", "uid-p", spec, null);
  }

  private static Provider statsigProvider() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.statsig = new StatsigProviderSpec();
    return new Provider(ProviderRef.Kind.ApiKeyProvider, "vendor", "shop", "uid-p", spec, null);
  }

  private static Desired desired(ApiKey apiKey, Vendor vendor, Provider provider) {
    return new Desired(vendor.specIdentity(apiKey.getSpec()), "", false, null, null, false, provider.ref());
  }

  private static LedgerKey key(String name, ApiKey apiKey, Vendor vendor) {
    String identity = vendor.specIdentity(apiKey.getSpec());
    return new LedgerKey(name, "id-" + name, KeyValue.of("value-" + name), NOW.minusSeconds(3600), identity,
        identity, "", null);
  }

  private final class Handlers {
    final Fakes.Access access;
    final IssuerCalls calls;
    final LedgerWrites writes = new LedgerWrites(ledgers, clock);
    final PendingCreations pendings = new PendingCreations(ledgers, writes, events);
    final KeyMinter minter = new KeyMinter(ledgers, writes, pendings, secrets, events, metrics, clock);
    final KeyReadBack readBacks = new KeyReadBack(ledgers, events, clock, new SecureRandom());
    final KeyRevocations revocations = new KeyRevocations(null, null, metrics, events, ledgers);

    Handlers(Vendor vendor) {
      access = new Fakes.Access(vendor, clock);
      calls = new IssuerCalls(access);
    }
  }

  // -------------------------------------------------------------------------------------------------- mint

  @Test
  void mintWritesTheIntentBeforeTheVendorCallAndTheKeyRightAfter() throws StatusException {
    Handlers h = new Handlers(FmeVendor.INSTANCE);
    ApiKey apiKey = fmeKey();
    List<String> pendingAtCreate = new ArrayList<>();
    h.access.issuer.create = (plan, name) -> {
      pendingAtCreate.add(ledgers.stored.pending() == null ? null : ledgers.stored.pending().name());
      return new MintedKey("id-1", KeyValue.of("value-1"), NOW);
    };
    Ledger ledger;
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      ledger = h.minter.mint(apiKey, Ledger.EMPTY, fmeProvider(), desired(apiKey, FmeVendor.INSTANCE, fmeProvider()),
          null, session);
    }
    String name = ledger.current().name();
    assertThat(name).startsWith("shop-checkout-");
    assertThat(pendingAtCreate).as("the intent names the key before the call").containsExactly(name);
    assertThat(ledger.pending()).isNull();
    assertThat(ledgers.written).as("intent, then outcome").hasSize(2);
    assertThat(h.access.issuer.calls).containsExactly("plan", "create " + name);
    assertThat(events.reasons()).containsExactly("Normal Created");
    assertThat(String.join("\n", events.lines)).doesNotContain("value-1");
  }

  @Test
  void aVendorsFinalRefusalClearsTheIntentAndIsRememberedForThisGenerationOnly() {
    Handlers h = new Handlers(FmeVendor.INSTANCE);
    ApiKey apiKey = fmeKey();
    h.access.issuer.create = (plan, name) -> {
      throw new VendorErrorException("the project is archived", 400, true);
    };
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      assertThatThrownBy(() -> h.minter.mint(apiKey, Ledger.EMPTY, fmeProvider(),
          desired(apiKey, FmeVendor.INSTANCE, fmeProvider()), null, session))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.VendorError);
            assertThat(e.transientFailure()).isFalse();
          });
    }
    assertThat(ledgers.stored.pending()).as("the vendor answered: nothing was created").isNull();
    assertThat(h.minter.refusal(apiKey, NOW)).hasValueSatisfying(stop ->
        assertThat(stop.reason()).isEqualTo(Reason.VendorError));
    assertThat(h.minter.refusal(apiKey, NOW.plus(IssuerCalls.LOOK_AGAIN))).isEmpty();
    apiKey.getMetadata().setGeneration(2L);
    assertThat(h.minter.refusal(apiKey, NOW)).as("a new spec is asked again").isEmpty();
  }

  @Test
  void aTransientVendorFailureGoesToTheFrameworksRetry() {
    Handlers h = new Handlers(FmeVendor.INSTANCE);
    ApiKey apiKey = fmeKey();
    h.access.issuer.create = (plan, name) -> {
      throw new VendorErrorException("FME answered 503", 503);
    };
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      assertThatThrownBy(() -> h.minter.mint(apiKey, Ledger.EMPTY, fmeProvider(),
          desired(apiKey, FmeVendor.INSTANCE, fmeProvider()), null, session))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.VendorError);
            assertThat(e.transientFailure()).isTrue();
            assertThat(e.retryAfter()).isNull();
          });
    }
    assertThat(h.minter.refusal(apiKey, NOW)).isEmpty();
  }

  @Test
  void aLostAnswerIsReportedIndeterminateWithOneWarningNeverRetriedSilently() {
    Handlers h = new Handlers(FmeVendor.INSTANCE);
    ApiKey apiKey = fmeKey();
    h.access.issuer.create = (plan, name) -> {
      throw new VendorOutcomeUnknownException("no answer");
    };
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      assertThatThrownBy(() -> h.minter.mint(apiKey, Ledger.EMPTY, fmeProvider(),
          desired(apiKey, FmeVendor.INSTANCE, fmeProvider()), null, session))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.CreationIndeterminate));
    }
    assertThat(ledgers.stored.pending()).isNotNull();
    assertThat(ledgers.stored.pending().warned()).isTrue();
    assertThat(events.reasons()).containsExactly("Warning CreationIndeterminate");
    // The next pass reports it again, without another event.
    PendingCreations.Settled again = h.pendings.settle(apiKey, ledgers.stored, Optional.empty(), null);
    assertThat(again.problem().reason()).isEqualTo(Reason.CreationIndeterminate);
    assertThat(events.reasons()).hasSize(1);
  }

  @Test
  void noKeyIsMintedThatTheSecretCouldNotHold() {
    Handlers h = new Handlers(FmeVendor.INSTANCE);
    ApiKey apiKey = fmeKey();
    secrets.conflict = true;
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      assertThatThrownBy(() -> h.minter.mint(apiKey, Ledger.EMPTY, fmeProvider(),
          desired(apiKey, FmeVendor.INSTANCE, fmeProvider()), null, session))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.SecretConflict));
    }
    assertThat(h.access.issuer.calls).isEmpty();
    assertThat(ledgers.written).isEmpty();
  }

  // --------------------------------------------------------------------------------------- settle pending

  @Test
  void anAcknowledgedIndeterminateCreationIsDropped() {
    Handlers h = new Handlers(FmeVendor.INSTANCE);
    ApiKey apiKey = fmeKey();
    apiKey.getMetadata().setAnnotations(Map.of(ApiKey.ACKNOWLEDGE_ANNOTATION, "k2"));
    ledgers.stored = Ledger.EMPTY.withPending(new PendingCreation("k2", NOW, null));
    PendingCreations.Settled settled = h.pendings.settle(apiKey, ledgers.stored, Optional.empty(), null);
    assertThat(settled.problem()).isNull();
    assertThat(settled.ledger().pending()).isNull();
    assertThat(events.reasons()).containsExactly("Normal IndeterminateAcknowledged");
  }

  @Test
  void aLostKeyIsFoundByListingAndRecorded() {
    Handlers h = new Handlers(StatsigVendor.INSTANCE);
    ApiKey apiKey = statsigKey();
    ledgers.stored = Ledger.EMPTY.withPending(new PendingCreation("k2", NOW, null));
    h.access.issuer.findLost = (name, rotatedFrom) -> Optional.of(new MintedKey("id-k2", KeyValue.of("v2"), NOW));
    PendingCreations.Settled settled;
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      settled = h.pendings.settle(apiKey, ledgers.stored, Optional.of(statsigProvider()), session);
    }
    assertThat(settled.problem()).isNull();
    assertThat(settled.ledger().pending()).isNull();
    assertThat(settled.ledger().current().name()).isEqualTo("k2");
    assertThat(h.access.issuer.calls).containsExactly("findLost k2");
    assertThat(events.reasons()).containsExactly("Normal Recovered");
  }

  @Test
  void aKeyNotFoundByListingWasNotCreatedAndIsTriedAgain() {
    Handlers h = new Handlers(StatsigVendor.INSTANCE);
    ApiKey apiKey = statsigKey();
    ledgers.stored = Ledger.EMPTY.withPending(new PendingCreation("k2", NOW, null));
    PendingCreations.Settled settled;
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      settled = h.pendings.settle(apiKey, ledgers.stored, Optional.of(statsigProvider()), session);
    }
    assertThat(settled.problem()).isNull();
    assertThat(settled.ledger().isEmpty()).isTrue();
  }

  // ------------------------------------------------------------------------------------------- read back

  @Test
  void aKeyDeadAtTheVendorIsRecordedAsRevokedExternallyAndReadAgainAfterTheInterval() throws StatusException {
    Handlers h = new Handlers(StatsigVendor.INSTANCE);
    ApiKey apiKey = statsigKey();
    Provider provider = statsigProvider();
    Ledger ledger = ledgers.write(apiKey, Ledger.EMPTY.withCurrent(key("k1", apiKey, StatsigVendor.INSTANCE)));
    assertThat(h.readBacks.due(apiKey, provider, ledger)).as("first read-back spread over one interval")
        .isBetween(NOW, NOW.plus(StatsigVendor.INSTANCE.readBackInterval(provider.spec())));
    h.access.issuer.isActive = k -> false;
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      ledger = h.readBacks.readBack(apiKey, ledger, provider, session);
    }
    assertThat(ledger.revokedExternally()).isEqualTo("k1");
    assertThat(events.reasons()).containsExactly("Warning KeyRevokedExternally");
    assertThat(h.readBacks.next(apiKey, provider))
        .contains(NOW.plus(StatsigVendor.INSTANCE.readBackInterval(provider.spec())));
  }

  // ------------------------------------------------------------------------------------ update in place

  /** An executor over the fakes, for the handlers it performs itself. */
  private StepExecutor executor(Handlers h) {
    return new StepExecutor(null, h.access, events, metrics, clock, ledgers, secrets, null, null, null,
        new KeyUse(Consumers.none(), null));
  }

  private static Desired describedAs(ApiKey apiKey, String settings) {
    return new Desired(StatsigVendor.INSTANCE.specIdentity(apiKey.getSpec()), settings, false, null, null, false,
        statsigProvider().ref());
  }

  @Test
  void anInPlaceUpdateChangesTheLiveKeyAtTheVendorAndRecordsItsNewSettingsWithoutANewKey() throws StatusException {
    Handlers h = new Handlers(StatsigVendor.INSTANCE);
    StepExecutor executor = executor(h);
    ApiKey apiKey = statsigKey();
    Ledger ledger = ledgers.write(apiKey, Ledger.EMPTY.withCurrent(key("k1", apiKey, StatsigVendor.INSTANCE)));
    Desired wanted = describedAs(apiKey, "description=checkout");
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      ledger = executor.updateInPlace(apiKey, ledger, statsigProvider(), wanted, session);
    }
    assertThat(h.access.issuer.calls).containsExactly("updateInPlace k1");
    assertThat(ledger.current().name()).as("the same key").isEqualTo("k1");
    assertThat(ledgers.stored.current().settings()).isEqualTo("description=checkout");
    assertThat(events.reasons()).containsExactly("Normal Updated");
  }

  @Test
  void anInPlaceUpdateTheVendorRefusesRecordsNothing() {
    Handlers h = new Handlers(StatsigVendor.INSTANCE);
    StepExecutor executor = executor(h);
    ApiKey apiKey = statsigKey();
    Ledger ledger = ledgers.write(apiKey, Ledger.EMPTY.withCurrent(key("k1", apiKey, StatsigVendor.INSTANCE)));
    h.access.issuer.updateInPlace = k -> {
      throw new VendorErrorException("Statsig answered 503", 503);
    };
    Desired wanted = describedAs(apiKey, "description=checkout");
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      assertThatThrownBy(() -> executor.updateInPlace(apiKey, ledger, statsigProvider(), wanted, session))
          .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.transientFailure()).isTrue());
    }
    assertThat(ledgers.stored.current().settings()).as("the old settings stay recorded").isEmpty();
    assertThat(events.reasons()).isEmpty();
  }

  // ------------------------------------------------------------------------------------------ revoke

  @Test
  void aReplacedKeyIsRevokedThroughTheVendorThenLeavesTheLedger() throws StatusException {
    Handlers h = new Handlers(FmeVendor.INSTANCE);
    KeyRevocations revocations = new KeyRevocations(null, new KeyUse(Consumers.none(), null), metrics, events,
        ledgers);
    ApiKey apiKey = fmeKey();
    Ledger ledger = ledgers.write(apiKey, Ledger.EMPTY.withCurrent(key("k1", apiKey, FmeVendor.INSTANCE))
        .withCreated(key("k2", apiKey, FmeVendor.INSTANCE), NOW, null));
    LedgerKey replaced = ledger.previous().get(0);
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      ledger = revocations.revoke(apiKey, ledger, Optional.of(fmeProvider()), replaced, false, session);
    }
    assertThat(h.access.issuer.calls).containsExactly("revoke k1");
    assertThat(ledger.previous()).isEmpty();
    assertThat(ledger.current().name()).isEqualTo("k2");
    assertThat(ledgers.stored.previous()).as("recorded").isEmpty();
    assertThat(events.reasons()).containsExactly("Normal Revoked");
  }

  @Test
  void aRevocationTheVendorFailsKeepsTheKeyForTheFrameworksRetry() {
    Handlers h = new Handlers(FmeVendor.INSTANCE);
    KeyRevocations revocations = new KeyRevocations(null, new KeyUse(Consumers.none(), null), metrics, events,
        ledgers);
    ApiKey apiKey = fmeKey();
    Ledger ledger = ledgers.write(apiKey, Ledger.EMPTY.withCurrent(key("k1", apiKey, FmeVendor.INSTANCE))
        .withCreated(key("k2", apiKey, FmeVendor.INSTANCE), NOW, null));
    LedgerKey replaced = ledger.previous().get(0);
    h.access.issuer.revoke = k -> {
      throw new VendorErrorException("FME answered 503", 503);
    };
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      assertThatThrownBy(() -> revocations.revoke(apiKey, ledger, Optional.of(fmeProvider()), replaced, false,
          session)).isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.RevocationFailed);
            assertThat(e.transientFailure()).isTrue();
            assertThat(e.getMessage()).contains("k1").doesNotContain("value-k1");
          });
    }
    assertThat(ledgers.stored.previous()).extracting(LedgerKey::name).containsExactly("k1");
    assertThat(events.reasons()).isEmpty();
  }

  // ------------------------------------------------------------------------------------------ expire

  @Test
  void aReplacedKeyGetsItsVendorExpiryOnceRecorded() throws StatusException {
    Handlers h = new Handlers(FmeVendor.INSTANCE);
    ApiKey apiKey = fmeKey();
    LedgerKey old = key("k1", apiKey, FmeVendor.INSTANCE);
    Ledger ledger = ledgers.write(apiKey, Ledger.EMPTY.withCurrent(old)
        .withCreated(key("k2", apiKey, FmeVendor.INSTANCE), NOW.plus(Duration.ofHours(1)), null));
    LedgerKey replaced = ledger.previous().get(0);
    try (IssuerCalls.Session session = h.calls.session(apiKey)) {
      ledger = h.revocations.expire(apiKey, ledger, fmeProvider(), replaced, session);
    }
    assertThat(h.access.issuer.calls).containsExactly("expire k1");
    assertThat(ledger.previous().get(0).vendorExpiry()).isEqualTo(replaced.revokeAfter());
    assertThat(KeyDecision.awaitingExpiry(ledger, NOW)).as("given once").isEmpty();
  }

  // ------------------------------------------------------------------------------------ recover ledger

  @Test
  void aLedgerDeletedByHandIsRebuiltFromTheSecretThatStillHoldsTheKey() {
    ApiKey apiKey = fmeKey();
    apiKey.setStatus(new ApiKeyStatus());
    KeyStatus known = new KeyStatus();
    known.name = "k1";
    known.id = "id-k1";
    known.fingerprint = KeyValue.of("value-k1").fingerprint();
    known.createdAt = NOW.toString();
    apiKey.getStatus().key = known;
    secrets.existing.put("checkout", secret(apiKey, "value-k1"));
    Ledger rebuilt = LedgerRecovery.recover(apiKey, Ledger.EMPTY, ledgers, secrets, events);
    assertThat(rebuilt.current().name()).isEqualTo("k1");
    assertThat(rebuilt.current().value().fingerprint()).isEqualTo(known.fingerprint);
    assertThat(events.reasons()).containsExactly("Warning LedgerRebuilt");
  }

  @Test
  void aLedgerDeletedByHandWhoseSecretHoldsAnotherKeyIsReportedLost() {
    ApiKey apiKey = fmeKey();
    apiKey.setStatus(new ApiKeyStatus());
    apiKey.getStatus().key = new KeyStatus();
    apiKey.getStatus().key.name = "k1";
    apiKey.getStatus().key.fingerprint = KeyValue.of("value-k1").fingerprint();
    secrets.existing.put("checkout", secret(apiKey, "another value"));
    Ledger ledger = LedgerRecovery.recover(apiKey, Ledger.EMPTY, ledgers, secrets, events);
    assertThat(ledger.isEmpty()).isTrue();
    assertThat(events.reasons()).containsExactly("Warning LedgerLost");
    assertThat(String.join("\n", events.lines)).doesNotContain("another value");
  }

  private static Secret secret(ApiKey apiKey, String value) {
    return new SecretBuilder().withNewMetadata().withName("checkout").withNamespace("shop").addNewOwnerReference()
        .withUid(apiKey.getMetadata().getUid()).endOwnerReference().endMetadata()
        .addToData(ManagedSecrets.dataKey(apiKey), Base64.getEncoder().encodeToString(
            value.getBytes(StandardCharsets.UTF_8))).build();
  }
}
