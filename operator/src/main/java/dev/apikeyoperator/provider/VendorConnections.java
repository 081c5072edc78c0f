package dev.apikeyoperator.provider;

import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.issuer.Issuer;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.pacing.Pacing;
import dev.apikeyoperator.pacing.Throttle;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.status.ProviderReason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;

/**
 * Turns a provider into something that can call its vendor: reads the credentials Secret (at the moment of use,
 * so a rotated credential is picked up without a restart; a read is reused for {@link #CREDENTIAL_REUSE}, so that
 * a burst of keys costs no read per key), checks the endpoint, and keeps per provider the
 * rate-limit throttle (and, in each vendor's connector, its caches), which outlive credential rotations.
 * Knows no vendor: each {@link Vendor} builds its own {@link Issuer}.
 */
public final class VendorConnections {
  /**
   * Everything needed to call one provider's vendor.
   *
   * @param credentialFingerprint fingerprint of the credential in use (tells a rotated credential apart)
   * @param credentialReused the credential is an earlier read (at most {@link #CREDENTIAL_REUSE} old), not one read
   *     for this call: when the vendor refuses it, the Secret may hold another one by now ({@link #rotatedSince})
   */
  public record Connection(Vendor vendor, Issuer<?> issuer, Throttle throttle, String credentialFingerprint,
      boolean credentialReused) {}

  private final KubernetesClient kubernetes;
  private final Clock clock;
  private final Map<Vendor, Vendor.Connector> connectors;
  /** How long a credential read is reused: a rotated credential is in use at most this long after it was written. */
  static final Duration CREDENTIAL_REUSE = Duration.ofSeconds(2);
  /** Per credentials Secret (namespace, name, key): the value read, and when; a short reuse, bounded below. */
  private final Map<String, Read> credentials = new ConcurrentHashMap<>();

  private record Read(KeyValue value, Instant at, boolean reused) {
    Read reusedNow() {
      return new Read(value, at, true);
    }
  }

  /**
   * Per provider uid: the issuer built for its spec (the informer's object, so an edited provider is a new one) and
   * credential; building one (its HTTP client, the redaction of the credential) cost more than a cached reconcile.
   * Per provider, not per key, and bounded.
   */
  private final Map<String, Built> issuers = new ConcurrentHashMap<>();

  private record Built(ProviderSpec spec, String credentialFingerprint, Issuer<?> issuer) {}
  private final Endpoints endpoints;
  private final Pacing pacing;

  /** {@code http}: the HTTP client each vendor's calls go through. */
  public VendorConnections(KubernetesClient kubernetes, Function<Vendor, OkHttpClient> http, Clock clock,
      Duration directoryTtl, Endpoints endpoints, Pacing pacing) {
    this.endpoints = endpoints;
    this.pacing = pacing;
    this.kubernetes = kubernetes;
    this.clock = clock;
    this.connectors = Vendors.ALL.stream().collect(Collectors.toUnmodifiableMap(v -> v,
        v -> v.connector(http.apply(v), clock, directoryTtl)));
  }

  /** The call slots of each tenant and the pace of each provider. */
  public Pacing pacing() {
    return pacing;
  }

  /** The throttle of a provider (shared by all its keys). */
  public Throttle throttle(Provider provider) {
    return pacing.throttle(cacheKey(provider), provider.spec().rateLimit != null ? provider.spec().rateLimit
        : provider.vendor().map(Vendor::defaultRateLimit).orElse(null));
  }

  /** A connection for key operations: the credential read of the last {@link #CREDENTIAL_REUSE} is reused. */
  public Connection connect(Provider provider) throws ProviderProblem {
    return connect(provider, true);
  }

  /**
   * A connection with the credential read now, for the provider's own check (once a minute at most): a check must
   * judge the credential the Secret holds, not the one it held a second ago.
   */
  public Connection connectWithCurrentCredential(Provider provider) throws ProviderProblem {
    return connect(provider, false);
  }

  private Connection connect(Provider provider, boolean mayReuse) throws ProviderProblem {
    var problem = endpoints.problem(provider);
    if (problem.isPresent()) {
      throw problem.get();
    }
    Read read = credential(provider, mayReuse);
    KeyValue credential = read.value();
    Vendor vendor = provider.vendor().orElseThrow();
    Built built = issuers.get(provider.uid());
    if (built == null || built.spec() != provider.spec()
        || !built.credentialFingerprint().equals(credential.fingerprint())) {
      if (issuers.size() > 10_000) {
        issuers.clear(); // a bound, not a cache: forgetting costs one build each
      }
      built = new Built(provider.spec(), credential.fingerprint(), connectors.get(vendor).connect(provider, credential));
      issuers.put(provider.uid(), built);
    }
    return new Connection(vendor, built.issuer(), throttle(provider), credential.fingerprint(), read.reused());
  }

  /**
   * The vendor refused {@code connection}'s credential: it is read again at the next use, so that a credential
   * rotated in the meantime is not refused for another {@link #CREDENTIAL_REUSE}.
   */
  public void refused(Connection connection) {
    credentials.values().removeIf(r -> r.value().fingerprint().equals(connection.credentialFingerprint()));
  }

  /**
   * The vendor refused {@code connection}'s credential ({@link #refused} was called): whether the Secret holds
   * another one now. Only a reused read can be out of date, so only then is the Secret read again (once per
   * refusal; the read serves the next calls). A burst of keys refused for a bad credential is not retried soon.
   */
  public boolean rotatedSince(Connection connection, Provider provider) {
    if (!connection.credentialReused()) {
      return false;
    }
    try {
      return !credential(provider, false).value().fingerprint().equals(connection.credentialFingerprint());
    } catch (ProviderProblem gone) {
      return false; // the Secret went: the next look (a minute on) says so
    }
  }

  private Read credential(Provider provider, boolean mayReuse) throws ProviderProblem {
    CredentialsSecretRef ref = provider.credentialsRef();
    String cacheKey = provider.credentialsNamespace() + "/" + (ref == null ? null : ref.name) + "/"
        + (ref == null ? null : ref.keyOrDefault());
    Instant now = clock.instant();
    Read read = credentials.get(cacheKey);
    if (mayReuse && read != null && now.isBefore(read.at().plus(CREDENTIAL_REUSE)) && !now.isBefore(read.at())) {
      return read.reusedNow();
    }
    KeyValue value = readCredential(provider);
    if (credentials.size() > 10_000) {
      credentials.clear(); // a bound, not a cache: forgetting costs one read each
    }
    Read fresh = new Read(value, now, false);
    credentials.put(cacheKey, fresh);
    return fresh;
  }

  private KeyValue readCredential(Provider provider) throws ProviderProblem {
    CredentialsSecretRef ref = provider.credentialsRef();
    String namespace = provider.credentialsNamespace();
    if (ref == null || ref.name == null || namespace == null) {
      throw new ProviderProblem(ProviderReason.SecretNotFound, provider.displayName()
          + " names no credentials Secret: set credentials.secretRef");
    }
    Secret secret = kubernetes.secrets().inNamespace(namespace).withName(ref.name).get();
    if (secret == null) {
      throw new ProviderProblem(ProviderReason.SecretNotFound, provider.displayName() + " reads its credentials from Secret "
          + namespace + "/" + ref.name + ", which does not exist: create it with the admin credential under data key '"
          + ref.keyOrDefault() + "'");
    }
    String value = ManagedSecrets.value(secret, ref.keyOrDefault());
    if (value == null || value.isBlank()) {
      throw new ProviderProblem(ProviderReason.SecretNotFound, "Secret " + namespace + "/" + ref.name + " has no data key '"
          + ref.keyOrDefault() + "' for " + provider.displayName() + ": add the admin credential under that key, or "
          + "set credentials.secretRef.key");
    }
    return KeyValue.of(value.strip());
  }

  private static String cacheKey(Provider provider) {
    return provider.uid() + "|" + provider.baseUrl();
  }
}
