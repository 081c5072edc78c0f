package dev.apikeyoperator.ledger;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.KeyStatus;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.secret.OwnSecretWrites;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each ApiKey's {@link Ledger} in a Secret of its own ({@code <apikey>-apikey-ledger}), owned by the ApiKey
 * and labelled as the operator's. Writes use optimistic locking (the resourceVersion read), so two writers, a
 * stale cache or a restarted process can never both record an intent to create: the loser gets a 409 and
 * re-reads. Successful writes go straight into the informer cache, so the next reconcile sees them.
 *
 * <p>Every ledger is sealed ({@link LedgerSeal}) and checked on every read: a ledger Secret this ApiKey does not
 * own is none of its ledger, and one whose seal does not verify is {@link LedgerInvalidException}. A ledger of the
 * previous version (no seal) is accepted once, and sealed, only when it holds exactly the current key the ApiKey's
 * status names (docs/design/ledger.md).
 */
public final class LedgerStore {
  /** The operator's finalizer on the ledger Secret (the ApiKeys' own name, so one name says "the operator's"). */
  public static final String FINALIZER = ApiKey.FINALIZER;
  /**
   * The uid of the ApiKey the ledger was sealed for: a backup restores the ledger without its ownerReference and the
   * ApiKey with a new uid, and the seal can only be checked against the uid it was made with.
   */
  public static final String SEALED_FOR_ANNOTATION = "apikeyoperator.dev/sealed-for";
  static final String DATA_KEY = "ledger.json";
  static final String SEAL_KEY = "ledger.seal";
  private static final Logger LOG = LoggerFactory.getLogger(LedgerStore.class);

  private final KubernetesClient client;
  private final InformerEventSource<Secret, ApiKey> secrets;
  private final LedgerSeal seal;

  public LedgerStore(KubernetesClient client, InformerEventSource<Secret, ApiKey> secrets, LedgerSeal seal) {
    this.client = client;
    this.secrets = secrets;
    this.seal = seal;
  }


  /** The ledger as the informer cache has it (may lag behind the API server). */
  public Ledger cached(ApiKey apiKey) {
    return secrets.get(id(apiKey)).map(s -> decode(apiKey, s)).orElse(Ledger.EMPTY);
  }

  /** The ledger as the API server has it now. */
  public Ledger fresh(ApiKey apiKey) {
    Secret s = client.secrets().inNamespace(apiKey.getMetadata().getNamespace())
        .withName(ManagedSecrets.ledgerName(apiKey.getMetadata().getName())).get();
    return s == null ? Ledger.EMPTY : decode(apiKey, s);
  }

  /**
   * Replaces a ledger that does not verify, at {@code resourceVersion} (the one a human named), by an empty one:
   * whatever it named is no longer acted upon by the operator.
   */
  public Ledger discard(ApiKey apiKey, String resourceVersion) {
    return write(apiKey, Ledger.EMPTY.withResourceVersion(resourceVersion));
  }

  /**
   * Persists {@code ledger}, which must carry the resourceVersion it was derived from (null: the ledger Secret
   * must not exist yet). Throws KubernetesClientException 409 when somebody else wrote in between.
   */
  public Ledger write(ApiKey apiKey, Ledger ledger) {
    ResourceID rid = id(apiKey);
    String document = LedgerCodec.encode(ledger);
    Secret previous = secrets.get(rid).orElse(null);
    Secret desired = new SecretBuilder()
        .withNewMetadata()
          .withName(rid.getName())
          .withNamespace(apiKey.getMetadata().getNamespace())
          .withResourceVersion(ledger.resourceVersion())
          .withFinalizers(finalizers(previous))
          .withLabels(Map.of(ManagedSecrets.MANAGED_BY_LABEL, ManagedSecrets.MANAGED_BY_VALUE,
              ManagedSecrets.LEDGER_LABEL, apiKey.getMetadata().getName()))
          .withAnnotations(Map.of(SEALED_FOR_ANNOTATION, apiKey.getMetadata().getUid()))
          .withOwnerReferences(ManagedSecrets.ownerReference(apiKey, false))
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of(DATA_KEY, base64(document), SEAL_KEY, base64(sealOf(apiKey, document))))
        .build();
    // Marked as this process's own write, so that its watch event wakes no second reconcile (docs/design/ledger.md).
    Secret written = ledger.resourceVersion() == null ? OwnSecretWrites.create(client, secrets, desired)
        : OwnSecretWrites.update(client, secrets, desired, previous);
    return ledger.withResourceVersion(written.getMetadata().getResourceVersion());
  }

  /**
   * The ledger Secret's finalizers: the operator's own, so that the ledger outlives a namespace teardown or a
   * foreground deletion until the ApiKey's keys are revoked (docs/concepts/guarantees.md 9), and whatever others are there.
   */
  private static List<String> finalizers(Secret previous) {
    List<String> finalizers = new ArrayList<>(previous == null || previous.getMetadata().getFinalizers() == null
        ? List.of() : previous.getMetadata().getFinalizers());
    if (!finalizers.contains(FINALIZER)) {
      finalizers.add(FINALIZER);
    }
    return finalizers;
  }

  /**
   * Lets the ledger Secret go once the ApiKey's keys are revoked (or orphaned): its finalizer is removed, by a JSON
   * patch that first tests where it is, so nobody else's finalizer is lost. A ledger this ApiKey does not own is
   * left alone.
   */
  public void release(ApiKey apiKey) {
    Secret s = client.secrets().inNamespace(namespace(apiKey)).withName(ManagedSecrets.ledgerName(apiKey.getMetadata().getName()))
        .get();
    if (s == null || !ManagedSecrets.isOwnedBy(s, apiKey) || s.getMetadata().getFinalizers() == null) {
      return;
    }
    int at = s.getMetadata().getFinalizers().indexOf(FINALIZER);
    if (at < 0) {
      return;
    }
    String path = "/metadata/finalizers/" + at;
    client.secrets().inNamespace(namespace(apiKey)).resource(s).patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"test\",\"path\":\"" + path + "\",\"value\":\"" + FINALIZER + "\"},"
            + "{\"op\":\"remove\",\"path\":\"" + path + "\"}]");
  }

  /** Whether a Secret of the ledger's name exists but belongs to somebody else. */
  public Optional<Secret> foreignLedgerSecret(ApiKey apiKey) {
    Secret s = client.secrets().inNamespace(apiKey.getMetadata().getNamespace())
        .withName(ManagedSecrets.ledgerName(apiKey.getMetadata().getName())).get();
    return s != null && !ManagedSecrets.isOwnedBy(s, apiKey) ? Optional.of(s) : Optional.empty();
  }

  private static ResourceID id(ApiKey apiKey) {
    return new ResourceID(ManagedSecrets.ledgerName(apiKey.getMetadata().getName()), apiKey.getMetadata().getNamespace());
  }

  private Ledger decode(ApiKey apiKey, Secret s) {
    if (!ManagedSecrets.isOwnedBy(s, apiKey)) {
      // Not this ApiKey's: restored from a backup and taken back if it proves to be, else not trusted (a foreign
      // Secret, or one of a former ApiKey of that name).
      return restored(apiKey, s).orElse(Ledger.EMPTY);
    }
    String rv = s.getMetadata().getResourceVersion();
    String data = s.getData() == null ? null : s.getData().get(DATA_KEY);
    String sealed = s.getData() == null ? null : s.getData().get(SEAL_KEY);
    if (data == null && sealed == null) {
      return Ledger.EMPTY.withResourceVersion(rv);
    }
    String json = data == null ? "" : text(data);
    if (sealed != null) {
      if (!seal.verifies(namespace(apiKey), apiKey.getMetadata().getName(), apiKey.getMetadata().getUid(), json,
          text(sealed))) {
        throw new LedgerInvalidException(namespace(apiKey), s.getMetadata().getName(), rv,
            "was changed outside the operator (its seal does not verify)");
      }
      return LedgerCodec.decode(json, rv);
    }
    Ledger legacy;
    try {
      legacy = LedgerCodec.decode(json, rv);
    } catch (RuntimeException e) {
      throw new LedgerInvalidException(namespace(apiKey), s.getMetadata().getName(), rv, "is not readable");
    }
    if (!matchesStatus(legacy, apiKey.getStatus() == null ? null : apiKey.getStatus().key)) {
      throw new LedgerInvalidException(namespace(apiKey), s.getMetadata().getName(), rv,
          "carries no seal and does not hold exactly the key the ApiKey's status names");
    }
    LOG.info("Sealed the key ledger of the previous version (it holds the key the status names)");
    return write(apiKey, legacy);
  }

  /**
   * A ledger restored from a backup (docs/concepts/guarantees.md 10): no owner at all, labelled as this ApiKey's ledger,
   * and sealed with the operator's key for this namespace and name and the uid it names. It is taken back (owned,
   * and sealed anew for the ApiKey's new uid) without a vendor call. Sealed with another key (a backup of another
   * cluster): {@link LedgerInvalidException}, saying how to carry the seal key over. Anything else is no ledger.
   */
  private Optional<Ledger> restored(ApiKey apiKey, Secret s) {
    Map<String, String> labels = s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
    String sealedFor = s.getMetadata().getAnnotations() == null ? null
        : s.getMetadata().getAnnotations().get(SEALED_FOR_ANNOTATION);
    String data = s.getData() == null ? null : s.getData().get(DATA_KEY);
    String sealed = s.getData() == null ? null : s.getData().get(SEAL_KEY);
    boolean unowned = s.getMetadata().getOwnerReferences() == null || s.getMetadata().getOwnerReferences().isEmpty();
    if (!unowned || !apiKey.getMetadata().getName().equals(labels.get(ManagedSecrets.LEDGER_LABEL))
        || !ManagedSecrets.MANAGED_BY_VALUE.equals(labels.get(ManagedSecrets.MANAGED_BY_LABEL)) || sealedFor == null
        || sealedFor.equals(apiKey.getMetadata().getUid()) || data == null || sealed == null) {
      return Optional.empty();
    }
    String json = text(data);
    String rv = s.getMetadata().getResourceVersion();
    if (!seal.verifies(namespace(apiKey), apiKey.getMetadata().getName(), sealedFor, json, text(sealed))) {
      throw new LedgerInvalidException(namespace(apiKey), s.getMetadata().getName(), rv,
          "looks restored from a backup but is not sealed with this operator's seal key (a backup of another "
          + "cluster?): restore that cluster's Secret " + LedgerSeal.SECRET_NAME + " into the operator's namespace "
          + "and restart the operator (docs/operations/backup-and-restore.md)");
    }
    LOG.info("Took back the key ledger {} restored from a backup, and sealed it for this ApiKey",
        s.getMetadata().getName());
    return Optional.of(write(apiKey, LedgerCodec.decode(json, rv)));
  }

  /**
   * Whether an unsealed ledger can be trusted: no creation in flight, no replaced key (their ids are in no status),
   * and a current key that is the one the status (which tenants cannot write) names, by name, id and fingerprint.
   */
  private static boolean matchesStatus(Ledger legacy, KeyStatus known) {
    if (legacy.pending() != null || !legacy.previous().isEmpty()) {
      return false;
    }
    LedgerKey current = legacy.current();
    if (current == null || known == null) {
      return current == null && known == null;
    }
    return Objects.equals(current.name(), known.name) && Objects.equals(current.id(), known.id)
        && current.value().fingerprint().equals(known.fingerprint);
  }

  private String sealOf(ApiKey apiKey, String document) {
    return seal.seal(namespace(apiKey), apiKey.getMetadata().getName(), apiKey.getMetadata().getUid(), document);
  }

  private static String namespace(ApiKey apiKey) {
    return apiKey.getMetadata().getNamespace();
  }

  private static String text(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
