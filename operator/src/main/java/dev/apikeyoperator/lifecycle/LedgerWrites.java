package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.GoDuration;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.ledger.PendingCreation;
import dev.apikeyoperator.status.Reason;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger writes around a creation: the intent before the vendor call, and the created key right after (the one
 * write that must not be lost: retried on fresh reads, and kept in memory for the next reconcile if all tries fail).
 */
final class LedgerWrites {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWrites.class);

  private final KeptState ledgers;
  private final Clock clock;
  /**
   * Keys this process created whose ledger write failed; recorded before anything else on the next reconcile. The
   * vendor holds them and nothing else in the cluster does yet: without this a key would exist that no deletion
   * revokes.
   */
  private final Map<String, LedgerKey> unrecorded = new ConcurrentHashMap<>();

  LedgerWrites(KeptState ledgers, Clock clock) {
    this.ledgers = ledgers;
    this.clock = clock;
  }

  Ledger writeIntent(ApiKey apiKey, Ledger ledger, String keyName, String rotatedFrom) throws StatusException {
    try {
      return ledgers.write(apiKey, ledger.withPending(new PendingCreation(keyName, Instant.now(clock), rotatedFrom)));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 && ledger.resourceVersion() == null
          && ledgers.foreignLedgerSecret(apiKey).isPresent()) {
        throw new StatusException(Reason.SecretConflict, Messages.foreignLedger(apiKey.getMetadata().getNamespace(),
            apiKey.getMetadata().getName()), IssuerCalls.LOOK_AGAIN);
      }
      throw e; // a concurrent write: JOSDK retries with a fresh view
    }
  }

  /** Records a created key as current; the former current key is retired for {@code grace}. */
  Ledger recordCreated(ApiKey apiKey, Ledger ledger, LedgerKey key, Duration grace) {
    Instant retireUntil = Instant.now(clock).plus(grace);
    String request = annotation(apiKey, ApiKey.ROTATE_ANNOTATION);
    KubernetesClientException last = null;
    Ledger base = ledger;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Ledger written = ledgers.write(apiKey, base.withCreated(key, retireUntil,
            request != null ? request : base.rotateRequest()));
        unrecorded.remove(apiKey.getMetadata().getUid());
        return written;
      } catch (KubernetesClientException e) {
        last = e;
        try {
          base = ledgers.fresh(apiKey);
        } catch (KubernetesClientException readFailure) {
          last = readFailure;
        }
      }
    }
    unrecorded.put(apiKey.getMetadata().getUid(), key);
    LOG.error("Could not record key {} yet; it is kept in memory and recorded on the next attempt", key.name());
    throw last;
  }

  /** Records a key whose write failed in an earlier reconcile, before anything else happens. */
  Ledger recordUnrecorded(ApiKey apiKey, Ledger cached) {
    LedgerKey key = unrecorded.get(apiKey.getMetadata().getUid());
    return key == null ? cached : recordCreated(apiKey, ledgers.fresh(apiKey), key, gracePeriod(apiKey));
  }

  void forget(String uid) {
    unrecorded.remove(uid);
  }

  static Duration gracePeriod(ApiKey apiKey) {
    RotationSpec rotation = apiKey.getSpec().rotation;
    return GoDuration.parse(rotation == null || rotation.gracePeriod == null ? RotationSpec.DEFAULT_GRACE_PERIOD
        : rotation.gracePeriod);
  }

  static String annotation(ApiKey apiKey, String name) {
    Map<String, String> annotations = apiKey.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }
}
