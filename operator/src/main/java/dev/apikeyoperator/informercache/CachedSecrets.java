package dev.apikeyoperator.informercache;

import io.fabric8.kubernetes.api.model.Secret;

/**
 * What the informer of the operator's own Secrets (the mounted Secret and the ledger of each key) keeps of each:
 * everything the operator reads, that is the data, type, labels, annotations and owners, without what {@link CachedMetadata} drops, and with the strings every such Secret repeats
 * shared. Stripped in place, as {@link CachedMetadata} says why.
 */
public final class CachedSecrets {
  private CachedSecrets() {}

  /** {@code secret}, stripped in place. */
  public static Secret strip(Secret secret) {
    CachedMetadata.strip(secret.getMetadata());
    secret.setApiVersion(CachedMetadata.intern(secret.getApiVersion()));
    secret.setKind(CachedMetadata.intern(secret.getKind()));
    secret.setType(CachedMetadata.intern(secret.getType()));
    secret.setAdditionalProperties(CachedMetadata.properties(secret.getAdditionalProperties()));
    secret.setData(CachedMetadata.compact(secret.getData()));
    secret.setStringData(CachedMetadata.compact(secret.getStringData()));
    return secret;
  }
}
