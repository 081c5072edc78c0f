package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerStore;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * The ledger of each ApiKey as the lifecycle uses it ({@link LedgerStore} in the operator, a map in unit tests).
 * A write is optimistic: it fails on a concurrent change, and a ledger that does not verify fails every read.
 */
public interface KeptState {
  /** The ledger as the informer has it (may lag behind this process's own writes). */
  Ledger cached(ApiKey apiKey);

  /** The ledger read from the API server. */
  Ledger fresh(ApiKey apiKey);

  /** Writes the ledger; returns it with its new resourceVersion. */
  Ledger write(ApiKey apiKey, Ledger ledger);

  /** Replaces the ledger of resourceVersion {@code resourceVersion}, which does not verify, by an empty one. */
  Ledger discard(ApiKey apiKey, String resourceVersion);

  /** The ApiKey's keys are revoked (or kept on purpose): its ledger may go. */
  void release(ApiKey apiKey);

  /** A Secret of the ledger's name that this operator did not write, if any. */
  Optional<Secret> foreignLedgerSecret(ApiKey apiKey);

  static KeptState of(LedgerStore store) {
    return new KeptState() {
      public Ledger cached(ApiKey apiKey) {
        return store.cached(apiKey);
      }

      public Ledger fresh(ApiKey apiKey) {
        return store.fresh(apiKey);
      }

      public Ledger write(ApiKey apiKey, Ledger ledger) {
        return store.write(apiKey, ledger);
      }

      public Ledger discard(ApiKey apiKey, String resourceVersion) {
        return store.discard(apiKey, resourceVersion);
      }

      public void release(ApiKey apiKey) {
        store.release(apiKey);
      }

      public Optional<Secret> foreignLedgerSecret(ApiKey apiKey) {
        return store.foreignLedgerSecret(apiKey);
      }
    };
  }
}
