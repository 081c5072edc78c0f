package dev.apikeyoperator.secret;

import dev.apikeyoperator.api.v1alpha1.AdoptSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the Secret pods mount, as {@link ManagedSecrets} lays it out: creates it, restores it when it was deleted
 * or edited by hand, and never touches a Secret of that name that this ApiKey does not own. Reads come from the
 * informer cache of the operator's Secrets (a foreign Secret, not labelled, is fetched), and writes go straight
 * into that cache ({@link OwnSecretWrites}).
 */
public final class SecretWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SecretWriter.class);

  private final KubernetesClient client;
  private final InformerEventSource<Secret, ApiKey> secrets;

  public SecretWriter(KubernetesClient client, InformerEventSource<Secret, ApiKey> secrets) {
    this.client = client;
    this.secrets = secrets;
  }

  /** The Secret of that name in the ApiKey's namespace, or null. */
  public Secret current(ApiKey apiKey, String name) {
    ResourceID id = new ResourceID(name, apiKey.getMetadata().getNamespace());
    return secrets.get(id).orElseGet(() ->
        client.secrets().inNamespace(apiKey.getMetadata().getNamespace()).withName(name).get());
  }

  /** Refuses up front what {@link #ensure} would refuse, so that no key is minted that could not be stored. */
  public void checkWritable(ApiKey apiKey) throws SecretConflictException {
    checkNotKeptState(apiKey);
    Secret existing = current(apiKey, ManagedSecrets.secretName(apiKey));
    if (existing != null && !mayWrite(existing, apiKey)) {
      throw conflict(apiKey);
    }
  }

  /**
   * Makes the Secret hold the key as laid out for this ApiKey, templates rendered (one write at most; none when
   * it already does).
   */
  public void ensure(ApiKey apiKey, SecretTemplates.KeyFacts key) throws SecretConflictException,
      SecretTooLargeException {
    checkNotKeptState(apiKey);
    String keyName = key.keyName();
    Secret desired = ManagedSecrets.desired(apiKey, key);
    String name = desired.getMetadata().getName();
    String namespace = desired.getMetadata().getNamespace();
    ResourceID id = new ResourceID(name, namespace);
    // The operator's own Secrets are all in the cache; one that is not is created, and only a 409 (a Secret the
    // cache does not have: not labelled as ours, or not seen yet) costs a read.
    Secret existing = secrets.get(id).orElse(null);
    if (existing == null) {
      try {
        OwnSecretWrites.create(client, secrets, desired);
        LOG.info("Wrote key {} into Secret {}", keyName, name);
        deleteFormer(apiKey, apiKey.getStatus() == null ? null : apiKey.getStatus().secretName, name);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = client.secrets().inNamespace(namespace).withName(name).get();
        if (existing == null) {
          throw conflict(apiKey); // came and went meanwhile; looked at again on the next visit
        }
      }
    }
    if (isAdoptSource(existing, apiKey)) {
      desired = keepingOtherData(existing, desired);
    }
    if (!mayWrite(existing, apiKey) && !isRestoredCopy(existing, apiKey, desired)) {
      throw conflict(apiKey);
    } else if (!ManagedSecrets.matches(existing, desired)) {
      Secret updated = new SecretBuilder(existing)
          .editMetadata()
            .withLabels(desired.getMetadata().getLabels())
            .withAnnotations(desired.getMetadata().getAnnotations())
            .withOwnerReferences(desired.getMetadata().getOwnerReferences())
          .endMetadata()
          .withType(desired.getType())
          .withData(desired.getData())
          .withStringData(null)
          .build();
      OwnSecretWrites.update(client, secrets, updated, existing);
      LOG.info("Updated Secret {} for key {}", name, keyName);
    }
    deleteFormer(apiKey, apiKey.getStatus() == null ? null : apiKey.getStatus().secretName, name);
  }

  /** deletionPolicy Orphan: the Secret stays, so it must not be garbage-collected with the ApiKey. */
  public void orphan(ApiKey apiKey) {
    String name = apiKey.getStatus() != null && apiKey.getStatus().secretName != null
        ? apiKey.getStatus().secretName : ManagedSecrets.secretName(apiKey);
    Secret secret = client.secrets().inNamespace(apiKey.getMetadata().getNamespace()).withName(name).get();
    if (secret != null && ManagedSecrets.isOwnedBy(secret, apiKey)) {
      Secret orphaned = new SecretBuilder(secret).editMetadata()
          .withOwnerReferences(secret.getMetadata().getOwnerReferences().stream()
              .filter(o -> !Objects.equals(o.getUid(), apiKey.getMetadata().getUid())).toList())
          .endMetadata().build();
      client.secrets().inNamespace(apiKey.getMetadata().getNamespace()).resource(orphaned).update();
      LOG.info("Removed the ownerReference from Secret {} (deletionPolicy Orphan)", name);
    }
  }

  /** After spec.secret.name changed, the Secret under the old name (if ours) goes away. */
  private void deleteFormer(ApiKey apiKey, String formerName, String newName) {
    if (formerName == null || formerName.equals(newName)) {
      return;
    }
    Secret former = current(apiKey, formerName);
    if (former != null && ManagedSecrets.isOwnedBy(former, apiKey)) {
      client.secrets().inNamespace(apiKey.getMetadata().getNamespace()).withName(formerName).delete();
      LOG.info("Deleted former Secret {} (spec.secret.name is now {})", formerName, newName);
    }
  }

  // ------------------------------------------------------------ ownership and adoption (docs/design/ledger.md)

  /**
   * Ours; or the very Secret whose key spec.adopt takes over, as long as nothing else owns it and it is Opaque: an
   * ApiKey never takes over a Secret another controller (or another ApiKey) owns, nor one of another type.
   */
  private static boolean mayWrite(Secret secret, ApiKey apiKey) {
    List<OwnerReference> owners = secret.getMetadata().getOwnerReferences();
    return ManagedSecrets.isOwnedBy(secret, apiKey)
        || isAdoptSource(secret, apiKey) && (owners == null || owners.isEmpty())
            && (secret.getType() == null || "Opaque".equals(secret.getType()));
  }

  /**
   * A Secret restored from a backup (docs/concepts/guarantees.md 10): no owner at all, labelled as this ApiKey's, and holding
   * the very key the ApiKey's sealed ledger names, so taking it back gives nobody anything they did not have.
   */
  private static boolean isRestoredCopy(Secret secret, ApiKey apiKey, Secret desired) {
    List<OwnerReference> owners = secret.getMetadata().getOwnerReferences();
    Map<String, String> labels = secret.getMetadata().getLabels();
    String dataKey = ManagedSecrets.dataKey(apiKey);
    return (owners == null || owners.isEmpty()) && labels != null
        && ManagedSecrets.MANAGED_BY_VALUE.equals(labels.get(ManagedSecrets.MANAGED_BY_LABEL))
        && apiKey.getMetadata().getName().equals(labels.get(ManagedSecrets.APIKEY_LABEL))
        && (secret.getType() == null || "Opaque".equals(secret.getType())) && secret.getData() != null
        && Objects.equals(secret.getData().get(dataKey), desired.getData().get(dataKey));
  }

  private static boolean isAdoptSource(Secret secret, ApiKey apiKey) {
    AdoptSpec adopt = apiKey.getSpec().adopt;
    return adopt != null && adopt.secretRef != null && secret.getMetadata().getName().equals(adopt.secretRef.name);
  }

  /** The Secret spec.adopt names keeps its other data keys: the operator only manages its own one. */
  private static Secret keepingOtherData(Secret existing, Secret desired) {
    Map<String, String> data = new LinkedHashMap<>(existing.getData() == null ? Map.of() : existing.getData());
    data.putAll(desired.getData());
    return new SecretBuilder(desired).withData(data).build();
  }

  /**
   * The default Secret name is the ApiKey's name, so an ApiKey named {@code x-apikey-ledger} would write its key
   * where ApiKey {@code x} keeps its ledger: refused, whether or not x exists (an explicit spec.secret.name of that
   * shape is refused by the spec's validation already).
   */
  private static void checkNotKeptState(ApiKey apiKey) throws SecretConflictException {
    String name = ManagedSecrets.secretName(apiKey);
    if (name.endsWith(ManagedSecrets.LEDGER_SUFFIX)) {
      throw new SecretConflictException("Secret " + apiKey.getMetadata().getNamespace() + "/" + name + " is where "
          + "the operator keeps the records of ApiKey " + name.substring(0, name.length()
          - ManagedSecrets.LEDGER_SUFFIX.length()) + ", so no key is written there. Set spec.secret.name to another "
          + "name (not ending in '" + ManagedSecrets.LEDGER_SUFFIX + "'). No key was created");
    }
  }

  private static SecretConflictException conflict(ApiKey apiKey) {
    return new SecretConflictException("Secret " + apiKey.getMetadata().getNamespace() + "/"
        + ManagedSecrets.secretName(apiKey) + " already exists and is not managed by this ApiKey, so it is left "
        + "untouched. Delete or rename it, or choose another spec.secret.name");
  }
}
