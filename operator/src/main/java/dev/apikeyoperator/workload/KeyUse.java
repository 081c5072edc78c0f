package dev.apikeyoperator.workload;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ConsumerStatus;
import dev.apikeyoperator.status.EventRecorder;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.secret.ManagedSecrets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who still uses a key, when the key lifecycle is about to revoke one (docs/guides/consumers.md): with
 * {@code spec.restartConsumers}, a replaced key waits until every consumer has rolled out the current key; a key
 * revoked while a consumer still uses it is a Warning event {@value #IN_USE}. Messages name keys by fingerprint
 * only.
 */
public final class KeyUse {
  public static final String IN_USE = "RevokedWhileInUse";
  /** How often a held revocation is looked at again when no workload event comes first. */
  public static final Duration RECHECK = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(KeyUse.class);
  private static final int NAMED = 5;
  static final String WAITING_FOR_CACHES = "; replaced keys are revoked once the operator has read the workloads "
      + "that may use them (it has just started)";

  private final Consumers consumers;
  private final EventRecorder events;

  public KeyUse(Consumers consumers, EventRecorder events) {
    this.consumers = consumers;
    this.events = events;
  }

  /**
   * With restartConsumers, why replaced keys must wait (the consumers still rolling out {@code current}, the key
   * now in the Secret); empty when they may be revoked.
   */
  public Optional<String> revocationHeld(ApiKey apiKey, LedgerKey current) {
    if (current != null && consumers.holdUntilSynced(apiKey)) { // who still uses a key is not known yet
      return Optional.of(WAITING_FOR_CACHES);
    }
    if (apiKey.getSpec() == null || !apiKey.getSpec().restartsConsumers() || current == null) {
      return Optional.empty();
    }
    List<String> waiting = stillRollingOut(apiKey, current, consumers.of(apiKey));
    return waiting.isEmpty() ? Optional.empty() : Optional.of("; they are revoked only once every consumer "
        + "has rolled out key " + current.value().fingerprint() + " (spec.restartConsumers); still rolling out: "
        + names(waiting));
  }

  /**
   * A Warning event when {@code revoked} has just been revoked and a consumer still uses it: when it was the key
   * in the Secret (the ApiKey is deleted), any consumer; when it was a replaced key, a consumer that reads the
   * Secret when its containers start and has not rolled out {@code current} (a mounted volume is refreshed by the
   * kubelet).
   */
  /**
   * Before a key is revoked: whether it is still in use must be known, to warn about it afterwards
   * ({@link #revoked}); right after start it is not yet, and the reconcile comes back ({@link WorkloadsNotRead}).
   */
  public void beforeRevoking() {
    consumers.requireSynced();
  }

  public void revoked(ApiKey apiKey, LedgerKey revoked, LedgerKey current) {
    boolean wasCurrent = current == null || current.name().equals(revoked.name());
    List<Consumers.Consumer> all = consumers.of(apiKey);
    List<String> using = wasCurrent ? all.stream().map(Consumers.Consumer::toString).toList()
        : stillRollingOut(apiKey, current, all.stream().filter(Consumers.Consumer::readsAtStart).toList());
    if (using.isEmpty()) {
      return;
    }
    String message = "Key " + revoked.value().fingerprint() + " was revoked while " + names(using)
        + (using.size() == 1 ? " still uses" : " still use") + " Secret " + ManagedSecrets.secretName(apiKey);
    LOG.warn("{}", message);
    events.warning(apiKey, IN_USE, message);
  }

  private List<String> stillRollingOut(ApiKey apiKey, LedgerKey current, List<Consumers.Consumer> of) {
    String ns = apiKey.getMetadata().getNamespace();
    return of.stream().filter(c -> RolloutProgress.pending(c.cached(), current.value().fingerprint(),
        current.createdAt(), job -> consumers.cached(ConsumerStatus.Kind.Job, ns, job)).isPresent())
        .map(Consumers.Consumer::toString).toList();
  }

  private static String names(List<String> names) {
    String listed = String.join(", ", names.subList(0, Math.min(NAMED, names.size())));
    return names.size() > NAMED ? listed + " and " + (names.size() - NAMED) + " more" : listed;
  }
}
