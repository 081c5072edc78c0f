package dev.apikeyoperator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.AllowedNamespaces;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeProviderSpec;
import dev.apikeyoperator.api.v1alpha1.KeyStatus;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.api.v1alpha1.StatsigProviderSpec;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.ledger.PendingCreation;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision as a table: one row per check and outcome of {@link KeyDecision#decide}, each row a change to one
 * observation that otherwise passes every check and reports the key ready.
 */
class KeyDecisionChainTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Capabilities PLAIN = new Capabilities(false, false, false, false, false, false);
  private static final String ID = "fme;type=server_side;project=name:p;environments=name:e;roles=";
  private static final Desired WANT = new Desired(ID, "", false, null, null, false, "ApiKeyProvider/shop/fme");
  private static final LedgerKey CURRENT = new LedgerKey("k1", "id-k1", KeyValue.of("value-k1"),
      NOW.minusSeconds(3600), ID, ID, "", null, null, "ApiKeyProvider/shop/fme");
  /** A ledger that needs nothing: the key is in the Secret and rolled out. */
  private static final Ledger SETTLED = Ledger.EMPTY.withCurrent(CURRENT)
      .withRolledOut(CURRENT.value().fingerprint());
  private static final KeyDecision.Progress WRITTEN = KeyDecision.Progress.NONE.afterSecret();

  private static ApiKey apiKey() {
    return Fakes.fmeApiKey("fme");
  }

  private static Provider provider(ProviderSpec spec) {
    return new Provider(ProviderRef.Kind.ApiKeyProvider, "fme", "shop", "uid-p", spec, null);
  }

  private static Provider fmeProvider() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.fme = new FmeProviderSpec();
    return provider(spec);
  }

  private static Observation passing() {
    return new Observation(apiKey(), Optional.of(fmeProvider()), null, SETTLED, null, WANT, PLAIN, null,
        Optional.empty(), Optional.empty(), NOW);
  }

  private static Observation with(UnaryOperator<Observation> change) {
    return change.apply(passing());
  }

  private static Observation annotated(String name, String value) {
    Observation o = passing();
    o.apiKey().getMetadata().setAnnotations(Map.of(name, value));
    return o;
  }

  private static Observation withLedger(Observation o, Ledger ledger) {
    return new Observation(o.apiKey(), o.provider(), o.namespace(), ledger, o.ledgerInvalid(), o.desired(), o.can(),
        o.readBackDue(), o.revocationHeld(), o.refusal(), o.now());
  }

  private static Observation invalidLedger(Observation o) {
    return new Observation(o.apiKey(), o.provider(), o.namespace(), null,
        new Observation.InvalidLedger("checkout-ledger", "42", "the key ledger Secret shop/checkout-ledger was changed by hand"), o.desired(), o.can(),
        o.readBackDue(), o.revocationHeld(), o.refusal(), o.now());
  }

  private static Observation withProvider(Observation o, Optional<Provider> provider) {
    return new Observation(o.apiKey(), provider, o.namespace(), o.ledger(), o.ledgerInvalid(), o.desired(), o.can(),
        o.readBackDue(), o.revocationHeld(), o.refusal(), o.now());
  }

  private static Observation statsigProvider() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.statsig = new StatsigProviderSpec();
    return withProvider(passing(), Optional.of(provider(spec)));
  }

  private static Observation clusterProviderNotServing() {
    ClusterApiKeyProviderSpec spec = new ClusterApiKeyProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.allowedNamespaces = new AllowedNamespaces();
    spec.allowedNamespaces.names = List.of("payments");
    return withProvider(passing(), Optional.of(new Provider(ProviderRef.Kind.ClusterApiKeyProvider, "shared", null,
        "uid-c", spec, null)));
  }

  private static Observation deniedType() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.policy = new ProviderPolicy();
    spec.policy.allowedTypes = List.of(FmeKeyType.CLIENT_SIDE);
    return withProvider(passing(), Optional.of(provider(spec)));
  }

  private static Observation restored(boolean withinWait) {
    Observation o = withLedger(passing(), Ledger.EMPTY);
    o.apiKey().getMetadata().setLabels(Map.of(LedgerRecovery.VELERO_RESTORE_LABEL, "nightly"));
    o.apiKey().getMetadata().setCreationTimestamp(
        (withinWait ? NOW.minusSeconds(60) : NOW.minus(LedgerRecovery.RESTORE_WAIT).minusSeconds(1)).toString());
    return o;
  }

  private static Observation statusNamesAKey(Observation o) {
    o.apiKey().setStatus(new ApiKeyStatus());
    o.apiKey().getStatus().key = new KeyStatus();
    o.apiKey().getStatus().key.name = "k1";
    o.apiKey().getStatus().key.fingerprint = CURRENT.value().fingerprint();
    return o;
  }

  private static Observation dueRevocation(Optional<String> held) {
    LedgerKey k2 = new LedgerKey("k2", "id-k2", KeyValue.of("value-k2"), NOW, ID, ID, "", null, null,
        "ApiKeyProvider/shop/fme");
    Ledger ledger = SETTLED.withCreated(k2, NOW.minusSeconds(1), null).withRolledOut(k2.value().fingerprint());
    Observation o = withLedger(passing(), ledger);
    return new Observation(o.apiKey(), o.provider(), o.namespace(), o.ledger(), null, o.desired(), o.can(),
        o.readBackDue(), held, o.refusal(), o.now());
  }

  private static Observation refused() {
    Observation o = withLedger(passing(), Ledger.EMPTY);
    return new Observation(o.apiKey(), o.provider(), o.namespace(), o.ledger(), null, o.desired(), o.can(),
        o.readBackDue(), o.revocationHeld(), Optional.of(new KeyDecision.Stop(Reason.ProjectNotFound,
            "FME has no project p", Duration.ofSeconds(30))), o.now());
  }

  private static Arguments row(String check, Observation o, KeyDecision.Progress progress, Object expected) {
    return Arguments.of(check, o, progress, expected);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        row("everything passes", passing(), WRITTEN, new Step.ReportReady()),
        row("paused", annotated(ApiKey.PAUSED_ANNOTATION, "true"), WRITTEN, Reason.Paused),
        row("paused only by true", annotated(ApiKey.PAUSED_ANNOTATION, "no"), WRITTEN, new Step.ReportReady()),
        row("invalid spec", with(o -> {
          o.apiKey().getSpec().fme.project = null;
          return o;
        }), WRITTEN, Reason.InvalidSpec),
        row("ledger does not verify", invalidLedger(passing()), WRITTEN, Reason.StateInvalid),
        row("ledger does not verify, discard annotated", invalidLedger(
            annotated(ApiKey.DISCARD_ANNOTATION, "42")), WRITTEN, new Step.DiscardLedger("42")),
        row("provider of another vendor", statsigProvider(), WRITTEN, Reason.InvalidSpec),
        row("namespace not served", clusterProviderNotServing(), WRITTEN, Reason.NamespaceNotAllowed),
        row("request denied by policy", deniedType(), WRITTEN, Reason.PolicyDenied),
        row("pending creation, even without a provider", withProvider(withLedger(passing(),
            SETTLED.withPending(new PendingCreation("k2", NOW, null))), Optional.empty()), WRITTEN,
            new Step.SettlePending()),
        row("ledger lost while the status names a key", statusNamesAKey(withLedger(passing(), Ledger.EMPTY)),
            KeyDecision.Progress.NONE, new Step.RecoverLedger()),
        row("ledger lost, looked for already", statusNamesAKey(withLedger(passing(), Ledger.EMPTY)),
            KeyDecision.Progress.NONE.afterRecovery(), new Step.Mint(null)),
        row("provider not found", withProvider(passing(), Optional.empty()), WRITTEN, Reason.ProviderNotFound),
        row("restored by Velero before its Secrets", restored(true), WRITTEN, Reason.Provisioning),
        row("restored long ago: a key of its own", restored(false), KeyDecision.Progress.NONE, new Step.Mint(null)),
        row("the vendor refused this spec", refused(), KeyDecision.Progress.NONE, Reason.ProjectNotFound),
        row("a due revocation", dueRevocation(Optional.empty()), WRITTEN, "Revoke"),
        row("a due revocation held for the consumers", dueRevocation(Optional.of("; waiting")), WRITTEN,
            new Step.HoldRevocation("; waiting")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String check, Observation o, KeyDecision.Progress progress, Object expected) {
    KeyDecision.Decision decision = KeyDecision.decide(o, progress);
    if (expected instanceof Reason reason) {
      assertThat(decision).isInstanceOf(KeyDecision.Stop.class);
      assertThat(((KeyDecision.Stop) decision).reason()).isEqualTo(reason);
    } else if (expected instanceof String stepName) {
      assertThat(decision.getClass().getSimpleName()).isEqualTo(stepName);
    } else {
      assertThat(decision).isEqualTo(expected);
    }
  }
}
