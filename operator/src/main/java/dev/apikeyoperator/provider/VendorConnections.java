package dev.apikeyoperator.provider;

import dev.apikeyoperator.account.FmeAccount;
import dev.apikeyoperator.account.StatsigAccount;
import dev.apikeyoperator.account.VendorAccount;
import dev.apikeyoperator.customresource.AuthScheme;
import dev.apikeyoperator.customresource.CredentialsSecretRef;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.issuer.KeyValue;
import dev.apikeyoperator.issuer.fme.FmeClient;
import dev.apikeyoperator.issuer.fme.FmeDirectory;
import dev.apikeyoperator.issuer.fme.FmeEndpoint;
import dev.apikeyoperator.issuer.statsig.StatsigClient;
import dev.apikeyoperator.issuer.statsig.StatsigEndpoint;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;

/**
 * Turns a provider into something that can call its vendor: reads the credentials Secret (at the moment of use,
 * so a rotated credential is picked up without a restart), checks the endpoint, and keeps per provider the
 * name-to-id directory and the rate-limit throttle, which outlive credential rotations.
 */
public final class VendorConnections {
  /**
   * Everything needed to call one provider's vendor.
   *
   * @param credentialFingerprint fingerprint of the credential in use (tells a rotated credential apart)
   */
  public record Connection(VendorAccount account, Throttle throttle, String credentialFingerprint) {}

  private final KubernetesClient kubernetes;
  private final OkHttpClient fmeHttp;
  private final OkHttpClient statsigHttp;
  private final Clock clock;
  private final Duration directoryTtl;
  private final Endpoints endpoints;
  private final Map<String, FmeDirectory> directories = new ConcurrentHashMap<>();
  private final Map<String, Throttle> throttles = new ConcurrentHashMap<>();

  public VendorConnections(KubernetesClient kubernetes, OkHttpClient fmeHttp, OkHttpClient statsigHttp, Clock clock,
      Duration directoryTtl, Endpoints endpoints) {
    this.endpoints = endpoints;
    this.kubernetes = kubernetes;
    this.fmeHttp = fmeHttp;
    this.statsigHttp = statsigHttp;
    this.clock = clock;
    this.directoryTtl = directoryTtl;
  }

  /** The throttle of a provider (shared by all its keys). */
  public Throttle throttle(Provider provider) {
    Throttle throttle = throttles.computeIfAbsent(cacheKey(provider), k -> new Throttle(clock));
    throttle.configure(provider.spec().rateLimit);
    return throttle;
  }

  public Connection connect(Provider provider) throws ProviderProblem {
    var problem = endpoints.problem(provider);
    if (problem.isPresent()) {
      throw problem.get();
    }
    KeyValue credential = readCredential(provider);
    VendorAccount account;
    if (provider.spec().statsig != null) {
      account = new StatsigAccount(new StatsigClient(statsigHttp, new StatsigEndpoint(provider.baseUrl(), credential)),
          clock);
    } else {
      AuthScheme scheme = provider.spec().fme.credentials.scheme == AuthScheme.XApiKey
          ? AuthScheme.XApiKey : AuthScheme.Bearer;
      FmeClient client = new FmeClient(fmeHttp, new FmeEndpoint(provider.baseUrl(), credential, scheme));
      account = new FmeAccount(client, directories.computeIfAbsent(cacheKey(provider),
          k -> new FmeDirectory(directoryTtl, clock)), provider);
    }
    return new Connection(account, throttle(provider), credential.fingerprint());
  }

  private KeyValue readCredential(Provider provider) throws ProviderProblem {
    CredentialsSecretRef ref = provider.credentialsRef();
    String namespace = provider.credentialsNamespace();
    if (ref == null || ref.name == null || namespace == null) {
      throw new ProviderProblem("SecretNotFound", provider.displayName()
          + " names no credentials Secret: set credentials.secretRef");
    }
    Secret secret = kubernetes.secrets().inNamespace(namespace).withName(ref.name).get();
    if (secret == null) {
      throw new ProviderProblem("SecretNotFound", provider.displayName() + " reads its credentials from Secret "
          + namespace + "/" + ref.name + ", which does not exist: create it with the admin credential under data key '"
          + ref.keyOrDefault() + "'");
    }
    String value = ManagedSecrets.value(secret, ref.keyOrDefault());
    if (value == null || value.isBlank()) {
      throw new ProviderProblem("SecretNotFound", "Secret " + namespace + "/" + ref.name + " has no data key '"
          + ref.keyOrDefault() + "' for " + provider.displayName() + ": add the admin credential under that key, or "
          + "set credentials.secretRef.key");
    }
    return KeyValue.of(value.strip());
  }

  private static String cacheKey(Provider provider) {
    return provider.uid() + "|" + provider.baseUrl();
  }
}
