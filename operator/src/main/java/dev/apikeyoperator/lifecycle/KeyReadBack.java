package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.transport.VendorException;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.status.Reason;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading the current key back from vendors that can (docs/concepts/guarantees.md): when each ApiKey's key is next read
 * back, and the read-back itself, which records a key that died outside the operator in the ledger.
 */
final class KeyReadBack {
  private static final Logger LOG = LoggerFactory.getLogger(KeyReadBack.class);

  private final KeptState ledgers;
  private final EventSink events;
  private final Clock clock;
  private final SecureRandom random;
  /**
   * When each read-back ApiKey's key is next read back. Kept in memory: in the status it would cost a write per
   * read-back, and after a restart the first read-backs are spread over one interval anyway.
   */
  private final Map<String, Instant> due = new ConcurrentHashMap<>();

  KeyReadBack(KeptState ledgers, EventSink events, Clock clock, SecureRandom random) {
    this.ledgers = ledgers;
    this.events = events;
    this.clock = clock;
    this.random = random;
  }

  void forget(String uid) {
    due.remove(uid);
  }

  /** When the next read-back is planned, if the provider reads keys back. */
  Optional<Instant> next(ApiKey apiKey, Provider provider) {
    return readsBack(provider) ? Optional.ofNullable(due.get(apiKey.getMetadata().getUid())) : Optional.empty();
  }

  /** When the current key is next read back; after a restart, the first read-backs spread over one interval. */
  Instant due(ApiKey apiKey, Provider provider, Ledger ledger) {
    if (ledger.current() == null || !readsBack(provider)) {
      return null;
    }
    Duration interval = provider.vendor().orElseThrow().readBackInterval(provider.spec());
    return due.computeIfAbsent(apiKey.getMetadata().getUid(), u -> Instant.now(clock)
        .plusMillis((long) (random.nextDouble() * interval.toMillis())));
  }

  /**
   * Checks that the current key is still active. A key deleted or deactivated outside the operator is recorded as
   * such; the decision then reports it or replaces it. It is dead already, so it is dropped, not revoked.
   */
  Ledger readBack(ApiKey apiKey, Ledger ledger, Provider provider, IssuerCalls.Session session)
      throws StatusException {
    LedgerKey current = ledger.current();
    Duration interval = provider.vendor().orElseThrow().readBackInterval(provider.spec());
    due.put(apiKey.getMetadata().getUid(), Instant.now(clock).plus(interval));
    VendorConnections.Connection connection = session.connect(provider, Reason.ProviderNotReady);
    session.takeSlot();
    try {
      if (!connection.issuer().isActive(current)) {
        LOG.warn("Key {} was deleted or deactivated outside the operator", current.name());
        events.warning(apiKey, Reason.KeyRevokedExternally.name(), Messages.diedOutside(current.name()));
        return ledgers.write(apiKey, ledger.withRevokedExternally(current.name()));
      }
    } catch (VendorException e) {
      LOG.warn("Could not read key {} back: {}", current.name(), e.getMessage());
    }
    return ledger;
  }

  private static boolean readsBack(Provider provider) {
    return provider.vendor().map(v -> v.capabilities().readsBack()).orElse(false);
  }
}
