package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.secret.SecretConflictException;
import dev.apikeyoperator.secret.SecretTemplates;
import dev.apikeyoperator.secret.SecretTooLargeException;
import dev.apikeyoperator.secret.SecretWriter;
import io.fabric8.kubernetes.api.model.Secret;

/** The Secret pods mount, as the lifecycle uses it ({@link SecretWriter} in the operator, a map in unit tests). */
public interface ManagedSecret {
  /** The Secret of that name as cached (null: none). */
  Secret current(ApiKey apiKey, String name);

  /** Fails when a Secret of the name exists that this ApiKey does not own: no key is minted that cannot be stored. */
  void checkWritable(ApiKey apiKey) throws SecretConflictException;

  /** Makes the Secret hold the key (written only when it differs). */
  void ensure(ApiKey apiKey, SecretTemplates.KeyFacts key) throws SecretConflictException, SecretTooLargeException;

  /** The ApiKey goes and its key is kept: the Secret is left to whoever uses it. */
  void orphan(ApiKey apiKey);

  static ManagedSecret of(SecretWriter writer) {
    return new ManagedSecret() {
      public Secret current(ApiKey apiKey, String name) {
        return writer.current(apiKey, name);
      }

      public void checkWritable(ApiKey apiKey) throws SecretConflictException {
        writer.checkWritable(apiKey);
      }

      public void ensure(ApiKey apiKey, SecretTemplates.KeyFacts key)
          throws SecretConflictException, SecretTooLargeException {
        writer.ensure(apiKey, key);
      }

      public void orphan(ApiKey apiKey) {
        writer.orphan(apiKey);
      }
    };
  }
}
