package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.issuer.Provider;
import io.fabric8.kubernetes.api.model.Namespace;
import java.time.Instant;
import java.util.Optional;

/**
 * What one reconcile read before deciding: everything {@link KeyDecision#decide} needs that takes I/O to learn, so
 * that the decision itself is pure. The ledger and what follows from it are observed again after each step.
 *
 * @param apiKey the ApiKey as read (spec, annotations, labels, status)
 * @param provider the provider it names, if it exists
 * @param namespace its namespace (labels decide what a cluster provider serves); null: not known
 * @param ledger what the ledger keeps; null when it does not verify
 * @param ledgerInvalid why the ledger does not verify; null when it does
 * @param desired what the spec asks for; null without a provider
 * @param can what the provider's vendor can do; null without a provider
 * @param readBackDue when the current key is next read back (null: not read back)
 * @param revocationHeld why a due revocation waits for the consumers (empty: it does not, or none is due)
 * @param refusal the vendor's refusal of this very spec, still holding (empty: none)
 * @param now the time of the decision
 */
public record Observation(ApiKey apiKey, Optional<Provider> provider, Namespace namespace, Ledger ledger,
    InvalidLedger ledgerInvalid, Desired desired, Capabilities can, Instant readBackDue,
    Optional<String> revocationHeld, Optional<KeyDecision.Stop> refusal, Instant now) {

  /** A ledger Secret that does not verify: its name, resourceVersion, and why (never its content). */
  public record InvalidLedger(String secretName, String resourceVersion, String problem) {}

  /** The same observation after a step changed the ledger. */
  public Observation after(Ledger changed, Instant readBackDue, Optional<String> revocationHeld, Instant now) {
    return new Observation(apiKey, provider, namespace, changed, null, desired, can, readBackDue, revocationHeld,
        refusal, now);
  }
}
