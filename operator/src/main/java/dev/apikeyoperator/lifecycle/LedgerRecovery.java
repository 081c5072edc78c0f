package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.KeyStatus;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerInvalidException;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ledger that is not as the operator left it. Deleted by hand while the status still names a key: rebuilt from
 * the managed Secret (which holds the value and carries the fingerprint), so that key stays revocable and is not
 * replaced. Changed by hand (its seal does not verify): {@code StateInvalid}, nothing acted upon, until a human
 * discards it (docs/design/ledger.md, "The ledger is sealed").
 */
final class LedgerRecovery {
  /** The label Velero puts on every object it restores. */
  static final String VELERO_RESTORE_LABEL = "velero.io/restore-name";
  /** How long an ApiKey restored before its Secrets waits for them before it mints a key of its own. */
  static final Duration RESTORE_WAIT = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(LedgerRecovery.class);

  private LedgerRecovery() {}

  static Ledger recover(ApiKey apiKey, Ledger ledger, KeptState ledgers, ManagedSecret secretWriter,
      EventSink events) {
    KeyStatus known = apiKey.getStatus() == null ? null : apiKey.getStatus().key;
    if (!ledger.isEmpty() || known == null || known.fingerprint == null) {
      return ledger;
    }
    Ledger fresh = ledgers.fresh(apiKey);
    if (!fresh.isEmpty()) {
      return fresh; // only the cache was behind
    }
    String secretName = apiKey.getStatus().secretName != null ? apiKey.getStatus().secretName
        : ManagedSecrets.secretName(apiKey);
    Secret secret = secretWriter.current(apiKey, secretName);
    String value = secret == null || !ManagedSecrets.isOwnedBy(secret, apiKey) ? null
        : ManagedSecrets.value(secret, ManagedSecrets.dataKey(apiKey));
    String apiKeyName = apiKey.getMetadata().getName();
    if (value == null || !KeyValue.of(value).fingerprint().equals(known.fingerprint)) {
      LOG.warn("The key ledger is gone and Secret {} does not hold key {} any more: it cannot be revoked from here",
          secretName, known.name);
      events.warning(apiKey, "LedgerLost", Messages.ledgerLost(apiKeyName, secretName, known.name, known.id));
      return ledger;
    }
    Vendor vendor = Vendors.of(apiKey.getSpec());
    LedgerKey key = new LedgerKey(known.name, known.id, KeyValue.of(value), Instant.parse(known.createdAt), null,
        vendor.specIdentity(apiKey.getSpec()), vendor.settings(apiKey.getSpec()), null);
    LOG.warn("Rebuilt the deleted key ledger from Secret {} (key {})", secretName, known.name);
    events.warning(apiKey, "LedgerRebuilt", Messages.ledgerRebuilt(apiKeyName, secretName));
    return ledgers.write(apiKey, ledger.withCurrent(key));
  }

  /**
   * The ledger Secret carries the operator's finalizer until the keys are revoked, so it can only be missing while
   * the status names keys when somebody removed that finalizer by hand: the keys can no longer be revoked by the
   * operator. The deletion waits, naming them, until a human has dealt with them and acknowledges the current one
   * (never silently: guarantee 1).
   */
  static void checkKeptStateNotLost(ApiKey apiKey, Ledger ledger) throws StatusException {
    if (ledger.resourceVersion() != null || !ledger.isEmpty() || apiKey.getStatus() == null
        || apiKey.getStatus().key == null) {
      return;
    }
    List<String> named = Stream.concat(Stream.of(apiKey.getStatus().key.name),
        apiKey.getStatus().previousKeys == null ? Stream.empty()
            : apiKey.getStatus().previousKeys.stream().map(p -> p.name)).filter(Objects::nonNull).toList();
    if (!named.get(0).equals(LedgerWrites.annotation(apiKey, ApiKey.ACKNOWLEDGE_ANNOTATION))) {
      throw new StatusException(Reason.StateInvalid, Messages.keptStateGone(named), null);
    }
  }

  /**
   * The ledger as stored; one that does not verify stops the deletion as StateInvalid, unless the discard
   * annotation names it: then it is replaced by an empty one.
   */
  static Ledger freshVerified(ApiKey apiKey, KeptState ledgers, EventSink events) throws StatusException {
    try {
      return ledgers.fresh(apiKey);
    } catch (LedgerInvalidException e) {
      if (!e.resourceVersion().equals(KeyDecision.annotation(apiKey, ApiKey.DISCARD_ANNOTATION))) {
        LOG.warn("Acting on nothing from the key ledger: {}", e.getMessage());
        KeyDecision.Stop stop = KeyDecision.stateInvalid(apiKey, e.getMessage(), e.resourceVersion());
        throw new StatusException(stop.reason(), stop.message(), stop.lookAgain());
      }
      discard(apiKey, e.resourceVersion(), e.secretName(), ledgers, events);
      return ledgers.fresh(apiKey);
    }
  }

  /** Replaces a ledger that does not verify by an empty one: a human named it by the discard annotation. */
  static void discard(ApiKey apiKey, String resourceVersion, String secretName, KeptState ledgers, EventSink events) {
    ledgers.discard(apiKey, resourceVersion);
    LOG.warn("Discarded the key ledger Secret {} (annotation {})", secretName, ApiKey.DISCARD_ANNOTATION);
    events.warning(apiKey, "StateDiscarded", Messages.stateDiscarded(secretName));
  }
}
