package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.transport.VendorException;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.ledger.PendingCreation;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.status.Reason;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles an intent to create that has no outcome (a restart after the vendor call, or an answer lost). Where the
 * vendor finds lost keys, the key is looked up by its name and recorded, or found absent and the intent dropped,
 * without a human. Elsewhere it is CreationIndeterminate until acknowledged.
 */
final class PendingCreations {
  /** When a Warning event about an indeterminate creation could not be written or marked, the next try. */
  private static final Duration WARN_AGAIN = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(PendingCreations.class);

  /** The ledger after settling a pending creation, and the problem to report when it could not be settled. */
  record Settled(Ledger ledger, StatusException problem) {}

  private final KeptState ledgers;
  private final LedgerWrites writes;
  private final EventSink events;

  PendingCreations(KeptState ledgers, LedgerWrites writes, EventSink events) {
    this.ledgers = ledgers;
    this.writes = writes;
    this.events = events;
  }

  Settled settle(ApiKey apiKey, Ledger cached, Optional<Provider> provider, IssuerCalls.Session session) {
    if (cached.pending() == null) {
      return new Settled(cached, null);
    }
    Ledger ledger = ledgers.fresh(apiKey); // the cache may lag behind our own outcome write
    PendingCreation pending = ledger.pending();
    if (pending == null) {
      return new Settled(ledger, null);
    }
    String acknowledged = LedgerWrites.annotation(apiKey, ApiKey.ACKNOWLEDGE_ANNOTATION);
    if (pending.name().equals(acknowledged)) {
      ledger = ledgers.write(apiKey, ledger.withPending(null));
      LOG.info("Cleared the indeterminate creation of key {} (acknowledged)", pending.name());
      events.normal(apiKey, "IndeterminateAcknowledged", Messages.acknowledged(pending.name()));
      return new Settled(ledger, null);
    }
    if (apiKey.getSpec() != null && provider.isPresent()
        && Vendors.ofKey(apiKey.getSpec()).stream().map(Vendor::capabilities).anyMatch(c -> c.findsLostKeys())) {
      return lookUpLostKey(apiKey, ledger, pending, provider.get(), session);
    }
    return indeterminate(apiKey, ledger);
  }

  private Settled lookUpLostKey(ApiKey apiKey, Ledger ledger, PendingCreation pending, Provider provider,
      IssuerCalls.Session session) {
    LedgerKey rotatedFrom = pending.rotatedFrom() == null || ledger.current() == null
        || !pending.rotatedFrom().equals(ledger.current().name()) ? null : ledger.current();
    try {
      VendorConnections.Connection connection = session.connect(provider, Reason.ProviderNotReady);
      session.takeSlot();
      Optional<MintedKey> found = connection.issuer().findLost(pending.name(), rotatedFrom,
          apiKey.getSpec());
      if (found.isPresent()) {
        MintedKey minted = found.get();
        String identity = Vendors.of(apiKey.getSpec()).specIdentity(apiKey.getSpec());
        LedgerKey key = new LedgerKey(pending.name(), minted.id(), minted.value(), minted.createdAt(), identity,
            identity, "", null, null, provider.ref());
        ledger = writes.recordCreated(apiKey, ledger, key, rotatedFrom != null ? Duration.ZERO
            : LedgerWrites.gracePeriod(apiKey));
        LOG.info("Found key {} by listing keys (its create answer was lost) and recorded it", pending.name());
        events.normal(apiKey, "Recovered", Messages.recovered(pending.name()));
        return new Settled(ledger, null);
      }
      if (rotatedFrom != null && connection.issuer().isActive(rotatedFrom) || rotatedFrom == null) {
        LOG.info("Key {} was not created (not found by listing); trying again", pending.name());
        return new Settled(ledgers.write(apiKey, ledger.withPending(null)), null);
      }
      return indeterminate(apiKey, ledger);
    } catch (StatusException e) {
      return new Settled(ledger, e);
    } catch (VendorException e) {
      return new Settled(ledger, StatusException.transientFailure(Reason.Provisioning,
          Messages.lookUpFailed(pending.name(), e.getMessage())));
    }
  }

  /**
   * Reports the ledger's pending creation as CreationIndeterminate. The Warning event that names the key is written
   * first and then marked in the ledger, so whatever dies when, every indeterminate key gets its event at least once
   * (a kill between the two writes only repeats it); neither the status nor memory decides that it was sent.
   */
  Settled indeterminate(ApiKey apiKey, Ledger ledger) {
    PendingCreation pending = ledger.pending();
    String keyName = pending.name();
    String message = Messages.indeterminate(keyName);
    if (pending.warned()) {
      return new Settled(ledger, new StatusException(Reason.CreationIndeterminate, message, null));
    }
    if (!events.tryWarning(apiKey, Reason.CreationIndeterminate.name(), message)) {
      return new Settled(ledger, new StatusException(Reason.CreationIndeterminate, message, WARN_AGAIN));
    }
    try {
      ledger = ledgers.write(apiKey, ledger.withPending(pending.asWarned()));
    } catch (KubernetesClientException e) {
      LOG.warn("Could not mark the Warning event about key {} as written ({}); it is written again", keyName,
          e.getMessage());
      return new Settled(ledger, new StatusException(Reason.CreationIndeterminate, message, WARN_AGAIN));
    }
    return new Settled(ledger, new StatusException(Reason.CreationIndeterminate, message, null));
  }
}
