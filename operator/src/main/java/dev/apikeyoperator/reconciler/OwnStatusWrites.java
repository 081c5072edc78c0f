package dev.apikeyoperator.reconciler;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.ApiKeyStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the ApiKey controller's own status writes apart from every other change of an ApiKey, so that writing a
 * status does not wake the key for one more reconcile (docs/design/ledger.md: at most two reconciles per new key).
 * An update wakes the key when its spec (generation), annotations, labels, finalizers, owners or deletion changed,
 * or when its status is not the one this process wrote last (somebody else edited it: it is written again).
 */
final class OwnStatusWrites {
  /** The hash of the status this process last wrote, per ApiKey uid: a few dozen bytes per key. */
  private final Map<String, Integer> written = new ConcurrentHashMap<>();

  void wrote(ApiKey apiKey, ApiKeyStatus status) {
    written.put(apiKey.getMetadata().getUid(), status.hashCode());
  }

  void forget(String uid) {
    written.remove(uid);
  }

  /**
   * The controller's update filter (JOSDK passes the new object first): false only for an update that carries
   * nothing but a status written here.
   */
  boolean worthReconciling(ApiKey newer, ApiKey older) {
    // The finalizer the reconcile itself adds before going on (ApiKeyFinalizer) changes nothing a reconcile reads.
    boolean finalizerAdded = ApiKeyFinalizer.onlyAdded(older, newer);
    if (!sameMetadata(older.getMetadata(), newer.getMetadata(), !finalizerAdded)) {
      return true;
    }
    if (finalizerAdded && Objects.equals(older.getStatus(), newer.getStatus())) {
      return false;
    }
    Integer last = written.get(newer.getMetadata().getUid());
    return last == null || newer.getStatus() == null || newer.getStatus().hashCode() != last;
  }

  /** {@code finalizers}: whether the finalizers are compared too (not when only this operator's was added). */
  private static boolean sameMetadata(ObjectMeta older, ObjectMeta newer, boolean finalizers) {
    return Objects.equals(older.getGeneration(), newer.getGeneration())
        && Objects.equals(older.getAnnotations(), newer.getAnnotations())
        && Objects.equals(older.getLabels(), newer.getLabels())
        && (!finalizers || Objects.equals(older.getFinalizers(), newer.getFinalizers()))
        && Objects.equals(older.getOwnerReferences(), newer.getOwnerReferences())
        && Objects.equals(older.getDeletionTimestamp(), newer.getDeletionTimestamp());
  }
}
