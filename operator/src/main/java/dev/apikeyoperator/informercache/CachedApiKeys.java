package dev.apikeyoperator.informercache;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the ApiKey controller's cache keeps of each ApiKey: the whole
 * object but the metadata {@link CachedMetadata} drops and the {@code kubectl apply} record
 * ({@value #LAST_APPLIED}, a copy of the spec as last applied, which the operator never reads), with the strings that
 * many keys repeat (provider, project and environment names, condition types, statuses and reasons, times) shared.
 * Stripped in place, as {@link CachedMetadata} says why.
 */
public final class CachedApiKeys {
  /** The annotation {@code kubectl apply} keeps the last applied object in. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private CachedApiKeys() {}

  /** {@code apiKey}, stripped in place. */
  public static ApiKey strip(ApiKey apiKey) {
    ObjectMeta meta = apiKey.getMetadata();
    if (meta != null && meta.getAnnotations() != null && meta.getAnnotations().containsKey(LAST_APPLIED)) {
      Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations());
      annotations.remove(LAST_APPLIED);
      meta.setAnnotations(annotations);
    }
    CachedMetadata.strip(meta);
    strip(apiKey.getSpec());
    strip(apiKey.getStatus());
    return apiKey;
  }

  private static void strip(ApiKeySpec spec) {
    if (spec == null) {
      return;
    }
    if (spec.providerRef != null) {
      spec.providerRef.name = CachedMetadata.intern(spec.providerRef.name);
    }
    if (spec.rolloutRestartTargets != null && spec.rolloutRestartTargets.isEmpty()) {
      spec.rolloutRestartTargets = List.of();
    }
    if (spec.fme != null) {
      strip(spec.fme.project);
      if (spec.fme.environments != null) {
        spec.fme.environments = CachedMetadata.compact(spec.fme.environments);
        spec.fme.environments.forEach(CachedApiKeys::strip);
      }
      if (spec.fme.roles != null && spec.fme.roles.isEmpty()) {
        spec.fme.roles = List.of();
      }
    }
  }

  private static void strip(NameOrId n) {
    if (n != null) {
      n.name = CachedMetadata.intern(n.name);
      n.id = CachedMetadata.intern(n.id);
    }
  }

  private static void strip(ApiKeyStatus status) {
    if (status == null) {
      return;
    }
    if (status.conditions != null) {
      status.conditions = CachedMetadata.compact(status.conditions);
      for (StatusCondition c : status.conditions) {
        c.type = CachedMetadata.intern(c.type);
        c.status = CachedMetadata.intern(c.status);
        c.reason = CachedMetadata.intern(c.reason);
        c.lastTransitionTime = CachedMetadata.intern(c.lastTransitionTime);
      }
    }
    status.secretName = CachedMetadata.intern(status.secretName);
    if (status.key != null) {
      status.key.fingerprint = CachedMetadata.intern(status.key.fingerprint);
      status.key.createdAt = CachedMetadata.intern(status.key.createdAt);
    }
  }
}
