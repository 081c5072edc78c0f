package dev.apikeyoperator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerCodecTest {
  private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void everyFieldSurvivesARoundTrip() {
    LedgerKey current = new LedgerKey("k2", "id-2", KeyValue.of("v2"), T, "fme;type=x", "fme;type=y", "s", null, null,
        "ClusterApiKeyProvider//shared");
    LedgerKey previous = new LedgerKey("k1", null, KeyValue.of("v1"), T.minusSeconds(60), "i", "i", "",
        T.plusSeconds(3600), T.plusSeconds(3600), null);
    Ledger ledger = new Ledger(new PendingCreation("k3", T, "k2", true), current, List.of(previous), "req-1",
        "sha256:abc", "k0", null);
    Ledger back = LedgerCodec.decode(LedgerCodec.encode(ledger), "42");
    assertThat(back).isEqualTo(ledger.withResourceVersion("42"));
    assertThat(back.pending().warned()).isTrue();
    assertThat(back.previous().get(0).revokeAfter()).isEqualTo(T.plusSeconds(3600));
    assertThat(back.previous().get(0).vendorExpiry()).isEqualTo(T.plusSeconds(3600));
  }

  @Test
  void anEmptyLedgerStaysEmpty() {
    Ledger back = LedgerCodec.decode(LedgerCodec.encode(Ledger.EMPTY), "1");
    assertThat(back.isEmpty()).isTrue();
    assertThat(back.resourceVersion()).isEqualTo("1");
  }

  @Test
  void aLedgerWrittenBeforeTheWarnedMarkReadsAsNotWarned() {
    Ledger ledger = Ledger.EMPTY.withPending(new PendingCreation("k1", T, null));
    String json = LedgerCodec.encode(ledger).replace(",\"warned\":false", "");
    assertThat(LedgerCodec.decode(json, "1").pending()).isEqualTo(new PendingCreation("k1", T, null, false));
  }

  @Test
  void theLedgerRecordsTransitions() {
    LedgerKey k1 = new LedgerKey("k1", "1", KeyValue.of("v1"), T, "i", "i", "", null);
    LedgerKey k2 = new LedgerKey("k2", "2", KeyValue.of("v2"), T, "i", "i", "", null);
    Ledger first = Ledger.EMPTY.withPending(new PendingCreation("k1", T, null)).withCreated(k1, T, "r");
    assertThat(first.pending()).isNull();
    assertThat(first.rolledOutFingerprint()).isEqualTo(k1.value().fingerprint());
    Ledger second = first.withCreated(k2, T.plusSeconds(5), "r");
    assertThat(second.current()).isEqualTo(k2);
    assertThat(second.previous()).containsExactly(k1.retiredUntil(T.plusSeconds(5)));
    assertThat(second.rolledOutFingerprint()).isEqualTo(k1.value().fingerprint());
    assertThat(second.without(k1).previous()).isEmpty();
    assertThat(second.without(k2).current()).isNull();
  }
}
