package dev.apikeyoperator.secret;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where the operator writes its own Secrets (the mounted Secret and the ledger) and hands each write to
 * the informer of those Secrets, with JOSDK's own calls for that. Read-after-write: without it the next reconcile
 * reads the cache before the watch has delivered the write, finds the old Secret (or none) and writes again.
 *
 * <p>Not a JOSDK dependent resource: the mounted Secret's desired state holds a key minted in the same reconcile and
 * recorded in the ledger first, an existing Secret of that name is adopted (its other data kept) or refused as a
 * conflict, and a renamed Secret's former one is deleted; JOSDK 5.2.3's {@code KubernetesDependentResource} would
 * create or overwrite it from the primary alone. Its read-after-write cache ({@code context.resourceOperations()})
 * arrives in 5.3.
 */
public final class OwnSecretWrites {
  private OwnSecretWrites() {}

  /** Creates {@code desired} (which must not exist) and puts what the API server returned into the cache. */
  public static Secret create(KubernetesClient client, InformerEventSource<Secret, ?> secrets, Secret desired) {
    Secret created = client.secrets().inNamespace(desired.getMetadata().getNamespace())
        .resource(markedAsOwnWrite(secrets, null, desired)).create();
    secrets.handleRecentResourceCreate(ResourceID.fromResource(created), created);
    return created;
  }

  /**
   * Replaces the Secret {@code desired} names, at the resourceVersion {@code desired} carries (a stale one gets 409),
   * and puts the result into the cache in place of {@code previous} (the cached copy; null when the cache had none).
   */
  public static Secret update(KubernetesClient client, InformerEventSource<Secret, ?> secrets, Secret desired,
      Secret previous) {
    Secret written = client.secrets().inNamespace(desired.getMetadata().getNamespace())
        .resource(markedAsOwnWrite(secrets, desired.getMetadata().getResourceVersion(), desired)).update();
    ResourceID id = ResourceID.fromResource(written);
    if (previous != null) {
      secrets.handleRecentResourceUpdate(id, written, previous);
    } else {
      secrets.handleRecentResourceCreate(id, written);
    }
    return written;
  }

  /**
   * Marks {@code secret}, about to be written over {@code previousVersion} (null: created), as this process's write
   * ({@link InformerEventSource#PREVIOUS_ANNOTATION_KEY}), so that its watch event wakes no second reconcile.
   */
  private static Secret markedAsOwnWrite(InformerEventSource<Secret, ?> secrets, String previousVersion,
      Secret secret) {
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    secret.getMetadata().setAnnotations(new LinkedHashMap<>(annotations == null ? Map.of() : annotations));
    return secrets.addPreviousAnnotation(previousVersion, secret);
  }
}
