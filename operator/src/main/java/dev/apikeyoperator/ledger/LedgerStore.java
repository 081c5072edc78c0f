package dev.apikeyoperator.ledger;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.secret.ManagedSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps each ApiKey's {@link Ledger} in a Secret of its own ({@code <apikey>-apikey-ledger}), owned by the ApiKey
 * and labelled as the operator's. Writes use optimistic locking (the resourceVersion read), so two writers, a
 * stale cache or a restarted process can never both record an intent to create: the loser gets a 409 and
 * re-reads. Successful writes go straight into the informer cache, so the next reconcile sees them.
 */
public final class LedgerStore {
  public static final String LEDGER_SUFFIX = "-apikey-ledger";
  public static final String LEDGER_LABEL = "apikeyoperator.dev/ledger-of";
  static final String DATA_KEY = "ledger.json";

  private final KubernetesClient client;
  private final InformerEventSource<Secret, ApiKey> secrets;

  public LedgerStore(KubernetesClient client, InformerEventSource<Secret, ApiKey> secrets) {
    this.client = client;
    this.secrets = secrets;
  }

  public static String ledgerName(String apiKeyName) {
    return apiKeyName + LEDGER_SUFFIX;
  }

  /** The ledger as the informer cache has it (may lag behind the API server). */
  public Ledger cached(ApiKey apiKey) {
    return secrets.get(id(apiKey)).map(LedgerStore::decode).orElse(Ledger.EMPTY);
  }

  /** The ledger as the API server has it now. */
  public Ledger fresh(ApiKey apiKey) {
    Secret s = client.secrets().inNamespace(apiKey.getMetadata().getNamespace())
        .withName(ledgerName(apiKey.getMetadata().getName())).get();
    return s == null ? Ledger.EMPTY : decode(s);
  }

  /**
   * Persists {@code ledger}, which must carry the resourceVersion it was derived from (null: the ledger Secret
   * must not exist yet). Throws KubernetesClientException 409 when somebody else wrote in between.
   */
  public Ledger write(ApiKey apiKey, Ledger ledger) {
    ResourceID rid = id(apiKey);
    Secret desired = new SecretBuilder()
        .withNewMetadata()
          .withName(rid.getName())
          .withNamespace(apiKey.getMetadata().getNamespace())
          .withResourceVersion(ledger.resourceVersion())
          .withLabels(Map.of(ManagedSecrets.MANAGED_BY_LABEL, ManagedSecrets.MANAGED_BY_VALUE,
              LEDGER_LABEL, apiKey.getMetadata().getName()))
          .withOwnerReferences(ManagedSecrets.ownerReference(apiKey, false))
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of(DATA_KEY, base64(LedgerCodec.encode(ledger))))
        .build();
    Secret written;
    if (ledger.resourceVersion() == null) {
      written = client.secrets().inNamespace(desired.getMetadata().getNamespace()).resource(desired).create();
      secrets.handleRecentResourceCreate(rid, written);
    } else {
      Secret previous = secrets.get(rid).orElse(null);
      written = client.secrets().inNamespace(desired.getMetadata().getNamespace()).resource(desired).update();
      if (previous != null) {
        secrets.handleRecentResourceUpdate(rid, written, previous);
      } else {
        secrets.handleRecentResourceCreate(rid, written);
      }
    }
    return ledger.withResourceVersion(written.getMetadata().getResourceVersion());
  }

  /** Whether a Secret of the ledger's name exists but belongs to somebody else. */
  public Optional<Secret> foreignLedgerSecret(ApiKey apiKey) {
    Secret s = client.secrets().inNamespace(apiKey.getMetadata().getNamespace())
        .withName(ledgerName(apiKey.getMetadata().getName())).get();
    return s != null && !ManagedSecrets.isOwnedBy(s, apiKey) ? Optional.of(s) : Optional.empty();
  }

  private static ResourceID id(ApiKey apiKey) {
    return new ResourceID(ledgerName(apiKey.getMetadata().getName()), apiKey.getMetadata().getNamespace());
  }

  private static Ledger decode(Secret s) {
    String data = s.getData() == null ? null : s.getData().get(DATA_KEY);
    if (data == null) {
      return Ledger.EMPTY.withResourceVersion(s.getMetadata().getResourceVersion());
    }
    String json = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    return LedgerCodec.decode(json, s.getMetadata().getResourceVersion());
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
