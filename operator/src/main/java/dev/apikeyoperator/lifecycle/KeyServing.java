package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.status.KeyOutcome;
import dev.apikeyoperator.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * The answer of the Ready condition when a reconcile did not go through (docs/concepts/ready-and-synced.md): does the
 * Secret still hold a working key? It does when the kept ledger has a current key that did not die outside the
 * operator, and the ApiKey's Secret holds that very key. Makes no vendor call; reads only what is cached.
 */
final class KeyServing {
  private final KeptState ledgers;
  private final ManagedSecret secrets;

  KeyServing(KeptState ledgers, ManagedSecret secrets) {
    this.ledgers = ledgers;
    this.secrets = secrets;
  }

  /** The key served from Secret {@code secretName} while the spec is not applied, if any. */
  Optional<KeyOutcome.StillServing> served(ApiKey apiKey, String secretName) {
    if (apiKey.getSpec() == null) {
      return Optional.empty();
    }
    Ledger ledger;
    try {
      ledger = ledgers.cached(apiKey);
    } catch (RuntimeException e) {
      return Optional.empty(); // a ledger that cannot be read serves nothing the operator can vouch for
    }
    LedgerKey current = ledger.current();
    if (current == null || current.name().equals(ledger.revokedExternally())) {
      return Optional.empty();
    }
    Secret secret = secrets.current(apiKey, secretName);
    if (secret == null || !ManagedSecrets.isOwnedBy(secret, apiKey)) {
      return Optional.empty();
    }
    String value = ManagedSecrets.value(secret, ManagedSecrets.dataKey(apiKey));
    if (value == null || !KeyValue.fingerprintOf(value).equals(current.value().fingerprint())) {
      return Optional.empty();
    }
    return Optional.of(new KeyOutcome.StillServing(ledger.previous().isEmpty() ? Reason.KeyReady : Reason.Rotating,
        Messages.keepsServing(current.name(), secretName)));
  }
}
