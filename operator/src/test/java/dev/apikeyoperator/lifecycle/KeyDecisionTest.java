package dev.apikeyoperator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikeyoperator.api.v1alpha1.DeletionPolicy;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.ledger.PendingCreation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision of the key lifecycle: every step, and how each recorded outcome moves it on. */
class KeyDecisionTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Capabilities PLAIN = new Capabilities(false, false, false, false, false, false);
  private static final Capabilities FULL = new Capabilities(true, true, true, true, true, false);
  private static final String ID = "fme;type=server_side;project=name:p;environments=name:e;roles=";
  private static final Desired WANT = new Desired(ID, "", false, null, null, false);
  private static final KeyDecision.Progress NONE = KeyDecision.Progress.NONE;
  private static final KeyDecision.Progress WRITTEN = NONE.afterSecret();

  private static LedgerKey key(String name, Instant createdAt) {
    return new LedgerKey(name, "id-" + name, KeyValue.of("value-" + name), createdAt, ID, ID, "", null);
  }

  private static final LedgerKey CURRENT = key("k1", NOW.minusSeconds(3600));

  /** A ledger holding {@code current}, already rolled out. */
  private static Ledger holding(LedgerKey current) {
    return Ledger.EMPTY.withCurrent(current);
  }

  private static Step next(Ledger ledger, Desired desired, Capabilities can, KeyDecision.Progress progress) {
    return KeyDecision.next(ledger, desired, can, progress, null, NOW);
  }

  @Test
  void aPendingCreationIsSettledBeforeAnythingElse() {
    Ledger ledger = holding(CURRENT).withPending(new PendingCreation("k2", NOW, null));
    assertThat(next(ledger, WANT, FULL, WRITTEN)).isInstanceOf(Step.SettlePending.class);
  }

  @Test
  void noKeyMintsAFirstOne() {
    assertThat(next(Ledger.EMPTY, WANT, PLAIN, NONE)).isEqualTo(new Step.Mint(null));
  }

  @Test
  void noKeyWithAdoptAdoptsInsteadOfMinting() {
    Desired adopt = new Desired(ID, "", true, null, null, false);
    assertThat(next(Ledger.EMPTY, adopt, PLAIN, NONE)).isInstanceOf(Step.Adopt.class);
    // Once adopted, the adopted key is kept: nothing is minted.
    assertThat(next(holding(CURRENT), adopt, PLAIN, NONE)).isInstanceOf(Step.WriteSecret.class);
  }

  @Test
  void aChangedIdentityMintsAReplacement() {
    Desired other = new Desired("fme;type=client_side", "", false, null, null, false);
    assertThat(next(holding(CURRENT), other, PLAIN, NONE)).isEqualTo(new Step.Mint(null));
  }

  @Test
  void anotherProviderIsAnIdentityChangeAndTheOldKeyIsNotReadBackThroughIt() {
    LedgerKey minted = CURRENT.withProvider("ApiKeyProvider/shop/fme");
    Desired moved = new Desired(ID, "", false, null, null, false, "ClusterApiKeyProvider//shared");
    assertThat(next(holding(minted), moved, FULL, NONE)).isEqualTo(new Step.Mint(null));
    Desired same = new Desired(ID, "", false, null, null, false, "ApiKeyProvider/shop/fme");
    assertThat(next(holding(minted), same, PLAIN, NONE)).isInstanceOf(Step.WriteSecret.class);
    // A key recorded before the provider was kept counts as the named provider's: no mass replacement on upgrade.
    assertThat(next(holding(CURRENT), moved, PLAIN, NONE)).isInstanceOf(Step.WriteSecret.class);
  }

  @Test
  void aKeyIsPlannedAtMostOncePerPass() {
    Desired other = new Desired("fme;type=client_side", "", false, null, null, false);
    assertThat(next(holding(CURRENT), other, PLAIN, NONE.afterMint())).isInstanceOf(Step.WriteSecret.class);
  }

  @Test
  void aNewRotateRequestRotatesOnceAndIsThenHandled() {
    Desired requested = new Desired(ID, "", false, "2026-01-01", null, false);
    assertThat(next(holding(CURRENT), requested, PLAIN, NONE)).isEqualTo(new Step.Mint(
        "rotation requested (apikeyoperator.dev/rotate-requested-at: 2026-01-01)"));
    LedgerKey successor = key("k2", NOW);
    Ledger rotated = holding(CURRENT).withCreated(successor, NOW.plusSeconds(60), "2026-01-01");
    assertThat(next(rotated, requested, PLAIN, NONE)).isInstanceOf(Step.WriteSecret.class);
  }

  @Test
  void noReplacementIsMintedWhileTheMostReplacedKeysAwaitRevocation() {
    Desired requested = new Desired(ID, "", false, "again", null, false);
    Ledger ledger = holding(CURRENT);
    for (int i = 0; i < KeyDecision.MAX_AWAITING_REVOCATION - 1; i++) {
      ledger = ledger.withCreated(key("r" + i, NOW), NOW.plusSeconds(3600), "r" + i);
    }
    assertThat(next(ledger, requested, PLAIN, WRITTEN)).isInstanceOf(Step.Mint.class);
    ledger = ledger.withCreated(key("last", NOW), NOW.plusSeconds(3600), "last");
    assertThat(KeyDecision.replacementHeld(ledger)).isTrue();
    assertThat(next(ledger, requested, PLAIN, WRITTEN)).isInstanceOf(Step.RollOut.class);
    Desired otherIdentity = new Desired("fme;type=client_side", "", false, null, null, false);
    assertThat(next(ledger, otherIdentity, PLAIN, WRITTEN)).isNotInstanceOf(Step.Mint.class);
    // Once one is revoked, the replacement goes ahead.
    Ledger afterRevocation = ledger.without(ledger.previous().get(0));
    assertThat(next(afterRevocation, requested, PLAIN, WRITTEN)).isInstanceOf(Step.Mint.class);
  }

  @Test
  void aDueScheduleRotates() {
    Desired hourly = new Desired(ID, "", false, null, "1h", false);
    assertThat(next(holding(CURRENT), hourly, PLAIN, NONE))
        .isEqualTo(new Step.Mint("scheduled rotation (spec.rotation.every: 1h)"));
    Desired daily = new Desired(ID, "", false, null, "24h", false);
    assertThat(next(holding(CURRENT), daily, PLAIN, NONE)).isInstanceOf(Step.WriteSecret.class);
    assertThat(KeyDecision.nextRotation(daily, CURRENT)).contains(CURRENT.createdAt().plus(Duration.ofHours(24)));
  }

  @Test
  void changedSettingsAreUpdatedInPlaceOnce() {
    Desired described = new Desired(ID, "description=new", false, null, null, false);
    assertThat(next(holding(CURRENT), described, FULL, NONE)).isInstanceOf(Step.UpdateInPlace.class);
    assertThat(next(holding(CURRENT.withSettings("description=new")), described, FULL, NONE))
        .isInstanceOf(Step.WriteSecret.class);
    assertThat(next(holding(CURRENT), described, FULL, NONE.afterUpdate())).isInstanceOf(Step.WriteSecret.class);
  }

  @Test
  void theSecretIsWrittenOncePerPass() {
    assertThat(next(holding(CURRENT), WANT, PLAIN, NONE)).isInstanceOf(Step.WriteSecret.class);
    assertThat(next(holding(CURRENT), WANT, PLAIN, WRITTEN)).isInstanceOf(Step.ReportReady.class);
  }

  @Test
  void aChangedKeyIsRolledOutOnce() {
    LedgerKey successor = key("k2", NOW);
    Ledger rotated = holding(CURRENT).withCreated(successor, NOW.plusSeconds(60), null);
    assertThat(next(rotated, WANT, PLAIN, WRITTEN)).isInstanceOf(Step.RollOut.class);
    Ledger rolledOut = rotated.withRolledOut(successor.value().fingerprint());
    assertThat(next(rolledOut, WANT, PLAIN, WRITTEN)).isInstanceOf(Step.ReportReady.class);
  }

  @Test
  void replacedKeysAreRevokedWhenTheirGracePeriodIsOver() {
    LedgerKey successor = key("k2", NOW);
    Ledger waiting = holding(CURRENT).withCreated(successor, NOW.plusSeconds(60), null)
        .withRolledOut(successor.value().fingerprint());
    assertThat(next(waiting, WANT, PLAIN, WRITTEN)).isInstanceOf(Step.ReportReady.class);
    assertThat(KeyDecision.nextRevocation(waiting)).contains(NOW.plusSeconds(60));
    Ledger due = holding(CURRENT).withCreated(successor, NOW, null).withRolledOut(successor.value().fingerprint());
    Step step = next(due, WANT, PLAIN, WRITTEN);
    assertThat(step).isInstanceOf(Step.Revoke.class);
    LedgerKey revoked = ((Step.Revoke) step).key();
    assertThat(revoked.name()).isEqualTo("k1");
    assertThat(next(due.without(revoked), WANT, PLAIN, WRITTEN)).isInstanceOf(Step.ReportReady.class);
  }

  @Test
  void aReplacedKeyGetsItsVendorExpiryOnceItsSuccessorServesWhereTheVendorCan() {
    Capabilities expires = new Capabilities(false, false, false, false, false, true);
    LedgerKey successor = key("k2", NOW);
    Ledger rotated = holding(CURRENT).withCreated(successor, NOW.plusSeconds(60), null);
    // Not before the successor is in the Secret and rolled out.
    assertThat(next(rotated, WANT, expires, NONE)).isInstanceOf(Step.WriteSecret.class);
    assertThat(next(rotated, WANT, expires, WRITTEN)).isInstanceOf(Step.RollOut.class);
    Ledger serving = rotated.withRolledOut(successor.value().fingerprint());
    Step step = next(serving, WANT, expires, WRITTEN);
    assertThat(step).isInstanceOf(Step.Expire.class);
    LedgerKey expiring = ((Step.Expire) step).key();
    assertThat(expiring.name()).isEqualTo("k1");
    assertThat(expiring.revokeAfter()).isEqualTo(NOW.plusSeconds(60));
    // Recorded: asked once, and the key is still revoked when its grace is over.
    Ledger expired = serving.withVendorExpiry(expiring, expiring.revokeAfter());
    assertThat(expired.previous()).extracting(LedgerKey::vendorExpiry).containsExactly(NOW.plusSeconds(60));
    assertThat(next(expired, WANT, expires, WRITTEN)).isInstanceOf(Step.ReportReady.class);
    Step later = KeyDecision.next(expired, WANT, expires, WRITTEN, null, NOW.plusSeconds(60));
    assertThat(later).isInstanceOf(Step.Revoke.class);
    assertThat(((Step.Revoke) later).key().name()).isEqualTo("k1");
    // A vendor that cannot expire keys is never asked: the key waits for its revocation as before.
    assertThat(next(serving, WANT, PLAIN, WRITTEN)).isInstanceOf(Step.ReportReady.class);
  }

  @Test
  void aReplacedKeyWhoseGraceIsOverIsRevokedNotExpired() {
    Capabilities expires = new Capabilities(false, false, false, false, false, true);
    LedgerKey successor = key("k2", NOW);
    Ledger due = holding(CURRENT).withCreated(successor, NOW, null).withRolledOut(successor.value().fingerprint());
    assertThat(next(due, WANT, expires, WRITTEN)).isInstanceOf(Step.Revoke.class);
    // An identity change replaces the key as a rotation does: each replaced key is expired in turn.
    Ledger two = due.withCreated(key("k3", NOW), NOW.plusSeconds(30), null).withRolledOut(
        key("k3", NOW).value().fingerprint());
    Step first = next(two, WANT, expires, WRITTEN);
    assertThat(first).isEqualTo(new Step.Expire(two.previous().get(1)));
    assertThat(KeyDecision.awaitingExpiry(two.withVendorExpiry(two.previous().get(1), NOW.plusSeconds(30)), NOW))
        .isEmpty();
  }

  @Test
  void aReadBackKeyIsReadWhenDue() {
    Step due = KeyDecision.next(holding(CURRENT), WANT, FULL, WRITTEN, NOW, NOW);
    assertThat(due).isInstanceOf(Step.ReadBack.class);
    Step later = KeyDecision.next(holding(CURRENT), WANT, FULL, WRITTEN, NOW.plusSeconds(1), NOW);
    assertThat(later).isInstanceOf(Step.ReportReady.class);
    // A vendor that cannot read keys back is never asked.
    assertThat(KeyDecision.next(holding(CURRENT), WANT, PLAIN, WRITTEN, NOW, NOW)).isInstanceOf(Step.ReportReady.class);
  }

  @Test
  void aKeyRevokedOutsideIsReportedOrReplaced() {
    Ledger dead = holding(CURRENT).withRevokedExternally("k1");
    assertThat(KeyDecision.next(dead, WANT, FULL, WRITTEN, NOW, NOW))
        .isEqualTo(new Step.ReportRevokedExternally(CURRENT));
    Desired recreate = new Desired(ID, "", false, null, null, true);
    assertThat(next(dead, recreate, FULL, WRITTEN)).isInstanceOf(Step.DropRevoked.class);
    Desired requested = new Desired(ID, "", false, "again", null, false);
    assertThat(next(dead, requested, FULL, WRITTEN)).isInstanceOf(Step.DropRevoked.class);
    // Dropped: the next step mints a first key.
    assertThat(next(dead.without(CURRENT).withRevokedExternally(null), recreate, FULL, WRITTEN))
        .isEqualTo(new Step.Mint(null));
  }

  @Test
  void nativeRotationNeedsTheSameIdentityAVendorThatCanAndNoGracePeriod() {
    String why = "scheduled rotation";
    assertThat(KeyDecision.rotatesNatively(CURRENT, why, ID, FULL, Duration.ZERO)).isTrue();
    assertThat(KeyDecision.rotatesNatively(CURRENT, why, ID, FULL, Duration.ofMinutes(1))).isFalse();
    assertThat(KeyDecision.rotatesNatively(CURRENT, why, ID, PLAIN, Duration.ZERO)).isFalse();
    assertThat(KeyDecision.rotatesNatively(CURRENT, why, "other", FULL, Duration.ZERO)).isFalse();
    assertThat(KeyDecision.rotatesNatively(CURRENT, null, ID, FULL, Duration.ZERO)).isFalse();
    assertThat(KeyDecision.rotatesNatively(null, why, ID, FULL, Duration.ZERO)).isFalse();
  }

  @Test
  void deletionRevokesReplacedKeysAndTheCurrentOneUnlessKeptOrDead() {
    LedgerKey successor = key("k2", NOW);
    Ledger ledger = holding(CURRENT).withCreated(successor, NOW.plusSeconds(60), null);
    assertThat(KeyDecision.onDeletion(ledger, DeletionPolicy.Delete)).extracting(r -> r.key().name(),
        KeyDecision.Retirement::deactivate).containsExactly(
            org.assertj.core.groups.Tuple.tuple("k1", false), org.assertj.core.groups.Tuple.tuple("k2", false));
    assertThat(KeyDecision.onDeletion(ledger, DeletionPolicy.Deactivate)).extracting(KeyDecision.Retirement::deactivate)
        .containsExactly(false, true);
    assertThat(KeyDecision.onDeletion(ledger, DeletionPolicy.Orphan)).extracting(r -> r.key().name())
        .containsExactly("k1");
    assertThat(KeyDecision.onDeletion(ledger.withRevokedExternally("k2"), DeletionPolicy.Delete))
        .extracting(r -> r.key().name()).containsExactly("k1");
    assertThat(KeyDecision.onDeletion(Ledger.EMPTY, DeletionPolicy.Delete)).isEmpty();
  }

  @Test
  void dueRevocationsIncludeKeysWithoutADate() {
    Ledger ledger = new Ledger(null, CURRENT, List.of(key("old", NOW.minusSeconds(10)),
        key("later", NOW).retiredUntil(NOW.plusSeconds(5))), null, null, null, null);
    assertThat(KeyDecision.dueRevocations(ledger, NOW)).extracting(LedgerKey::name).containsExactly("old");
  }

  @Test
  void aPassWithoutAKeyAfterMintingIsABug() {
    assertThatThrownBy(() -> next(Ledger.EMPTY, WANT, PLAIN, NONE.afterMint()))
        .isInstanceOf(IllegalStateException.class);
  }
}
