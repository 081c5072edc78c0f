package dev.apikeyoperator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every transition of the ledger, as the lifecycle's steps record them. */
class LedgerTest {
  private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");
  private static final LedgerKey K1 = new LedgerKey("k1", "1", KeyValue.of("v1"), T, "i", "i", "", null);
  private static final LedgerKey K2 = new LedgerKey("k2", "2", KeyValue.of("v2"), T, "i", "i", "", null);

  @Test
  void anIntentIsRecordedThenMarkedWarnedThenCleared() {
    PendingCreation intent = new PendingCreation("k1", T, null);
    Ledger pending = Ledger.EMPTY.withPending(intent);
    assertThat(pending.isEmpty()).isFalse();
    assertThat(pending.pending().warned()).isFalse();
    Ledger warned = pending.withPending(intent.asWarned());
    assertThat(warned.pending()).isEqualTo(new PendingCreation("k1", T, null, true));
    assertThat(warned.withPending(null).isEmpty()).isTrue();
  }

  @Test
  void aCreatedKeyReplacesThePendingIntentAndRetiresTheFormerKey() {
    Ledger first = Ledger.EMPTY.withPending(new PendingCreation("k1", T, null)).withCreated(K1, T, null);
    assertThat(first.pending()).isNull();
    assertThat(first.current()).isEqualTo(K1);
    assertThat(first.previous()).isEmpty();
    // A first key counts as rolled out: workloads start with it.
    assertThat(first.rolledOutFingerprint()).isEqualTo(K1.value().fingerprint());
    Ledger second = first.withPending(new PendingCreation("k2", T, "k1")).withCreated(K2, T.plusSeconds(9), "req");
    assertThat(second.current()).isEqualTo(K2);
    assertThat(second.previous()).containsExactly(K1.retiredUntil(T.plusSeconds(9)));
    assertThat(second.rotateRequest()).isEqualTo("req");
    assertThat(second.rolledOutFingerprint()).isEqualTo(K1.value().fingerprint());
    assertThat(second.withRolledOut(K2.value().fingerprint()).rolledOutFingerprint())
        .isEqualTo(K2.value().fingerprint());
  }

  @Test
  void aKeyCanBeReplacedInPlaceAndForgotten() {
    Ledger adopted = Ledger.EMPTY.withCurrent(K1);
    assertThat(adopted.rolledOutFingerprint()).isEqualTo(K1.value().fingerprint());
    Ledger respelled = adopted.withCurrent(K1.withSpecIdentity("j").withSettings("s"));
    assertThat(respelled.current().specIdentity()).isEqualTo("j");
    assertThat(respelled.current().settings()).isEqualTo("s");
    assertThat(respelled.current().identity()).isEqualTo("i");
    Ledger dead = respelled.withRevokedExternally("k1");
    assertThat(dead.revokedExternally()).isEqualTo("k1");
    Ledger dropped = dead.without(dead.current()).withRevokedExternally(null);
    assertThat(dropped.current()).isNull();
    assertThat(dropped.revokedExternally()).isNull();
  }

  @Test
  void theRevocationHandleIsTheIdWhenKnownElseTheValue() {
    assertThat(K1.revocationHandle()).isEqualTo("1");
    assertThat(new LedgerKey("k", " ", KeyValue.of("v"), T, "i", "i", "", null).revocationHandle()).isEqualTo("v");
  }
}
