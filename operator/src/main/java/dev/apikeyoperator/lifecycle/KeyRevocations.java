package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.transport.VendorRateLimitedException;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.provider.Providers;
import dev.apikeyoperator.status.Reason;
import dev.apikeyoperator.workload.KeyUse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Step.Expire} and {@link Step.Revoke} steps, and a deletion's revocations: each through the provider that
 * minted the key (a changed providerRef must not send them to another account), each outcome written to the ledger.
 */
final class KeyRevocations {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRevocations.class);

  private final Providers providers;
  private final KeyUse keyUse;
  private final OperatorMetrics metrics;
  private final EventSink events;
  private final KeptState ledgers;

  KeyRevocations(Providers providers, KeyUse keyUse, OperatorMetrics metrics, EventSink events,
      KeptState ledgers) {
    this.providers = providers;
    this.keyUse = keyUse;
    this.metrics = metrics;
    this.events = events;
    this.ledgers = ledgers;
  }

  /**
   * Gives a replaced key the vendor-side expiry at the end of its grace period, then records it: a crash between
   * the two gives the same expiry again (the vendor call is idempotent). A failure is tried again later; the key
   * keeps serving until then and is revoked when its grace is over either way.
   */
  Ledger expire(ApiKey apiKey, Ledger ledger, Provider named, LedgerKey key, IssuerCalls.Session session)
      throws StatusException {
    Provider provider = minter(Optional.of(named), key, apiKey);
    Instant at = key.revokeAfter();
    session.call(provider, Messages.waitToExpire(key.name()), Reason.ProviderNotReady, c -> {
      c.issuer().expire(key, at);
      return null;
    }, session::vendorFailure);
    LOG.info("Gave key {} a vendor-side expiry at {}", key.name(), at);
    events.normal(apiKey, "Expiring", Messages.expiring(key.name(), at));
    return ledgers.write(apiKey, ledger.withVendorExpiry(key, at));
  }

  /**
   * Revokes (or deactivates) one key through the provider that minted it ({@code named}, the one the ApiKey names,
   * unless the ledger records another); a failure keeps it, to be tried again later.
   */
  Ledger revoke(ApiKey apiKey, Ledger ledger, Optional<Provider> named, LedgerKey key, boolean deactivate,
      IssuerCalls.Session session) throws StatusException {
    Provider provider = minter(named, key, apiKey);
    session.connectToRevoke(provider, key.name());
    keyUse.beforeRevoking();
    session.call(provider, Messages.waitToRevoke(key.name()), Reason.RevocationFailed, c -> {
      if (deactivate) {
        c.issuer().deactivate(key);
      } else {
        c.issuer().revoke(key);
      }
      return null;
    }, (e, c) -> {
      if (e instanceof VendorRateLimitedException r && r.retryAfter() != null) {
        c.throttle().blockFor(r.retryAfter());
      }
      metrics.revocationFailed();
      Optional<Duration> retry = IssuerCalls.Session.retryAfter(e);
      return retry.isPresent()
          ? new StatusException(Reason.RevocationFailed, Messages.revokeFailed(key.name(), e.getMessage(),
              retry.get()), retry.get())
          : StatusException.transientFailure(Reason.RevocationFailed, Messages.revokeFailed(key.name(),
              e.getMessage()));
    });
    LOG.info("{} key {}", deactivate ? "Deactivated" : "Revoked", key.name());
    metrics.keyRevoked();
    events.normal(apiKey, deactivate ? "Deactivated" : "Revoked", Messages.revoked(key.name(), deactivate));
    keyUse.revoked(apiKey, key, ledger.current());
    return ledgers.write(apiKey, ledger.without(key));
  }

  /** The provider {@code key} was minted through: the ledger's record of it, else the one the ApiKey names. */
  private Provider minter(Optional<Provider> named, LedgerKey key, ApiKey apiKey) throws StatusException {
    Optional<Provider> provider = named.isPresent() && key.mintedThrough(named.get().ref()) ? named
        : key.provider() == null ? Optional.empty() : providers.find(key.provider());
    return provider.orElseThrow(() -> new StatusException(Reason.RevocationFailed, Messages.revokeWithoutProvider(
        List.of(key), key.provider() != null ? key.provider() : apiKey.getSpec().providerRef.name), IssuerCalls.LOOK_AGAIN));
  }

}
