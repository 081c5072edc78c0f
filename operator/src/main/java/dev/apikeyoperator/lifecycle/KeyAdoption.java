package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.AdoptSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.SecretSpec;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.PlanException;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.secret.SecretTemplates;
import dev.apikeyoperator.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Step.Adopt} step: an existing key, named by spec.adopt, taken under management. */
final class KeyAdoption {
  private static final Logger LOG = LoggerFactory.getLogger(KeyAdoption.class);

  private KeyAdoption() {}

  /** Adoption on a cluster provider is granted by its administrator (policy.allowAdoption), never assumed. */
  private static boolean adoptionAllowed(Provider provider) {
    return provider.spec() != null && Boolean.TRUE.equals(provider.spec().policyOrDefault().allowAdoption);
  }

  /** Takes the key in spec.adopt.secretRef under management: read back where the vendor can, nothing created. */
  static Ledger adopt(ApiKey apiKey, Ledger ledger, Desired desired, KubernetesClient client, KeptState ledgers,
      EventSink events, Clock clock, Provider provider, IssuerCalls.Session session) throws StatusException {
    AdoptSpec adopt = apiKey.getSpec().adopt;
    if (provider.kind() == ProviderRef.Kind.ClusterApiKeyProvider && !adoptionAllowed(provider)) {
      throw new StatusException(Reason.PolicyDenied, Messages.adoptionNotAllowed(provider.displayName()), null);
    }
    String dataKey = adopt.secretRef.key == null || adopt.secretRef.key.isBlank() ? SecretSpec.DEFAULT_KEY
        : adopt.secretRef.key;
    String namespace = apiKey.getMetadata().getNamespace();
    Secret source = client.secrets().inNamespace(namespace).withName(adopt.secretRef.name).get();
    String value = source == null ? null : ManagedSecrets.value(source, dataKey);
    if (value == null || value.isBlank()) {
      throw new StatusException(Reason.InvalidSpec, Messages.adoptSourceMissing(namespace, adopt.secretRef.name,
          dataKey, source != null), IssuerCalls.LOOK_AGAIN);
    }
    if (value.strip().length() > SecretTemplates.MAX_LENGTHS.get("key")) { // no vendor's key is this long
      throw new StatusException(Reason.InvalidSpec, Messages.adoptValueTooLong(namespace, adopt.secretRef.name,
          dataKey, value.strip().length(), SecretTemplates.MAX_LENGTHS.get("key")), null);
    }
    KeyValue key = KeyValue.of(value.strip());
    // Read back first where the vendor can: no setting is updated onto a key of another type or a broader scope.
    session.call(provider, Messages.waitToAdopt(adopt.secretRef.name), Reason.ProviderNotReady, c -> {
      try {
        c.issuer().checkAdoptable(key, apiKey.getSpec(), provider);
      } catch (PlanException e) {
        throw new StatusException(e.reason(), e.getMessage(), e.reason() == Reason.PolicyDenied ? null
            : IssuerCalls.LOOK_AGAIN);
      }
      return null;
    }, session::vendorFailure);
    String name = "adopted-" + key.fingerprint().substring("sha256:".length(), "sha256:".length() + 8);
    // Revoked by the value the tenant holds, never by an id the tenant wrote (guarantee 8): an id alone could name
    // another tenant's key, where the vendor confirms a value only to whoever has it.
    // Settings unknown: a vendor that updates keys in place brings the adopted key to the spec.
    LedgerKey adopted = new LedgerKey(name, null, key, Instant.now(clock), null, desired.specIdentity(),
        desired.settings().isEmpty() ? "" : "adopted", null, null, provider.ref());
    ledger = ledgers.write(apiKey, ledger.withCurrent(adopted));
    LOG.info("Adopted the key in Secret {} as {}", adopt.secretRef.name, name);
    events.normal(apiKey, "Adopted", Messages.adopted(adopt.secretRef.name, key.fingerprint()));
    return ledger;
  }
}
