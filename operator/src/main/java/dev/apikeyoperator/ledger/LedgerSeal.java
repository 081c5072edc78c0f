package dev.apikeyoperator.ledger;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates what the operator keeps (docs/design/ledger.md, "The ledger is sealed"): an HMAC-SHA256 over the ledger
 * document, bound to the ApiKey's namespace, name and uid, with a key only the operator holds. A tenant who can
 * write Secrets in its namespace can edit its ledger, but cannot make an edited ledger verify, nor move a sealed
 * ledger to another ApiKey.
 *
 * <p>The key is kept in Secret {@value #SECRET_NAME} in the operator's namespace, created with 32 random bytes on
 * the first start and read on every later one (so it survives restarts and is shared by every replica).
 */
public final class LedgerSeal {
  public static final String SECRET_NAME = "apikey-operator-ledger-seal";
  /** Where the key is kept when no operator namespace is known (tests, the sandbox): docs/design/ledger.md. */
  public static final String FALLBACK_NAMESPACE = "default";
  static final String KEY_DATA = "hmac-sha256.key";
  private static final String ALGORITHM = "HmacSHA256";
  private static final Logger LOG = LoggerFactory.getLogger(LedgerSeal.class);

  private final SecretKeySpec key;

  private LedgerSeal(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  /** A seal with the given key (at least 32 bytes). */
  public static LedgerSeal withKey(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the ledger seal key must be at least 32 bytes");
    }
    return new LedgerSeal(key.clone());
  }

  /**
   * The operator's seal: its key read from Secret {@value #SECRET_NAME} in {@code namespace} (null or blank: {@value
   * #FALLBACK_NAMESPACE}), created there first if there is none. Two replicas starting at once create it once: the
   * loser of the create reads the winner's key.
   */
  public static LedgerSeal bootstrap(KubernetesClient client, String namespace) {
    boolean fallback = namespace == null || namespace.isBlank();
    String ns = fallback ? FALLBACK_NAMESPACE : namespace;
    if (fallback) {
      LOG.warn("No operator namespace: the ledger seal key is kept in Secret {}/{}; whoever can read Secrets there "
          + "can forge ledgers (set OPERATOR_NAMESPACE)", ns, SECRET_NAME);
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      Secret existing = client.secrets().inNamespace(ns).withName(SECRET_NAME).get();
      if (existing != null) {
        return fromSecret(existing, ns);
      }
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      Secret secret = new SecretBuilder()
          .withNewMetadata()
            .withName(SECRET_NAME)
            .withNamespace(ns)
            .withLabels(Map.of("app.kubernetes.io/part-of", "apikey-operator"))
          .endMetadata()
          .withType("Opaque")
          .withImmutable(true)
          .withData(Map.of(KEY_DATA, Base64.getEncoder().encodeToString(fresh)))
          .build();
      try {
        client.secrets().inNamespace(ns).resource(secret).create();
        LOG.info("Created the ledger seal key in Secret {}/{}", ns, SECRET_NAME);
        return new LedgerSeal(fresh);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("could not read or create Secret " + ns + "/" + SECRET_NAME);
  }

  private static LedgerSeal fromSecret(Secret secret, String ns) {
    String encoded = secret.getData() == null ? null : secret.getData().get(KEY_DATA);
    byte[] bytes = encoded == null ? new byte[0] : Base64.getDecoder().decode(encoded);
    if (bytes.length < 32) {
      // Never start with a key that is not the operator's own: every ledger would be StateInvalid, or forgeable.
      throw new IllegalStateException("Secret " + ns + "/" + SECRET_NAME + " has no usable '" + KEY_DATA
          + "' (32 bytes or more); delete it only if no ledger was ever sealed with it");
    }
    return new LedgerSeal(bytes);
  }

  /** The seal of {@code document} as the ledger of ApiKey namespace/name with that uid. */
  public String seal(String namespace, String name, String uid, String document) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      for (String part : new String[] {"apikey-operator ledger v1", namespace, name, uid}) {
        mac.update(part.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
      }
      return Base64.getEncoder().encodeToString(mac.doFinal(document.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** Whether {@code seal} is this operator's seal of {@code document} for that ApiKey (constant time). */
  boolean verifies(String namespace, String name, String uid, String document, String seal) {
    return seal != null && MessageDigest.isEqual(seal(namespace, name, uid, document)
        .getBytes(StandardCharsets.US_ASCII), seal.getBytes(StandardCharsets.US_ASCII));
  }
}
