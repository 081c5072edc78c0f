package dev.apikeyoperator.provider;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.issuer.Provider;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Set;

/**
 * Keeps a namespaced provider's credentials Secret until nothing needs it (docs/concepts/guarantees.md 9): a namespace
 * deletion deletes every object at once, and without the Secret the keys of the namespace could not be revoked.
 * The operator's finalizer is added while the provider lives and removed when the provider goes (its ApiKeys gone
 * first), unless another provider of the namespace still reads the same Secret.
 */
public final class CredentialHold {
  public static final String FINALIZER = ApiKey.FINALIZER;

  private final KubernetesClient client;

  public CredentialHold(KubernetesClient client) {
    this.client = client;
  }

  /** Puts the finalizer on the Secret {@code provider} reads, if it exists and has none yet. */
  public void hold(Provider provider) {
    Secret s = credentialsSecret(provider);
    if (s == null || s.getMetadata().getDeletionTimestamp() != null && !has(s)) {
      return; // no new finalizer on an object being deleted (the API server refuses it)
    }
    if (!has(s)) {
      patch(s, s.getMetadata().getFinalizers() == null || s.getMetadata().getFinalizers().isEmpty()
          ? "[{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"" + FINALIZER + "\"]}]"
          : "[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"" + FINALIZER + "\"}]");
    }
  }

  /**
   * Removes the finalizer from the Secret {@code provider} reads, unless one of {@code stillReadBy} (the other
   * providers of the namespace, by the Secret names they read) reads it too.
   */
  public void release(Provider provider, Set<String> stillReadBy) {
    Secret s = credentialsSecret(provider);
    if (s == null || !has(s) || stillReadBy.contains(s.getMetadata().getName())) {
      return;
    }
    String path = "/metadata/finalizers/" + s.getMetadata().getFinalizers().indexOf(FINALIZER);
    patch(s, "[{\"op\":\"test\",\"path\":\"" + path + "\",\"value\":\"" + FINALIZER + "\"},"
        + "{\"op\":\"remove\",\"path\":\"" + path + "\"}]");
  }

  private Secret credentialsSecret(Provider provider) {
    CredentialsSecretRef ref = provider.credentialsRef();
    String namespace = provider.credentialsNamespace();
    if (ref == null || ref.name == null || namespace == null) {
      return null;
    }
    return client.secrets().inNamespace(namespace).withName(ref.name).get();
  }

  private static boolean has(Secret s) {
    List<String> finalizers = s.getMetadata().getFinalizers();
    return finalizers != null && finalizers.contains(FINALIZER);
  }

  private void patch(Secret s, String jsonPatch) {
    try {
      client.secrets().inNamespace(s.getMetadata().getNamespace()).resource(s)
          .patch(PatchContext.of(PatchType.JSON), jsonPatch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
        throw e; // 404 gone, 409/422 changed in between: the next reconcile looks again
      }
    }
  }
}
