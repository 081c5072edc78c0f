package dev.apikeyoperator.issuer;

import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.api.v1alpha1.RateLimitSpec;
import dev.apikeyoperator.secretvalue.KeyValue;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * What the operator knows about one vendor without calling it: which spec blocks are its, how they are validated,
 * checked against a provider's policy and reduced to an identity, what the vendor can do, and how to connect.
 * One implementation per vendor package; {@link Vendors} lists them.
 */
public interface Vendor {
  /** The name of the vendor's block in both specs ({@code spec.fme}, {@code spec.statsig}) and in metrics. */
  String name();

  /** Whether a provider's spec is an account of this vendor. */
  boolean accountOf(ProviderSpec spec);

  /** Whether an ApiKey's spec gives this vendor's block. */
  boolean keyOf(ApiKeySpec spec);

  Capabilities capabilities();

  CredentialsSecretRef credentialsRef(ProviderSpec spec);

  String baseUrl(ProviderSpec spec);

  /** What SDKs need beside the key to reach the vendor (Secret template variable serverUrl); null where nothing. */
  default String serverUrl(ProviderSpec spec) {
    return null;
  }

  /** How often a live key is read back (where {@link Capabilities#readsBack()}). */
  default Duration readBackInterval(ProviderSpec spec) {
    return Duration.ZERO;
  }

  /** Adds the problems of the vendor's block of {@code spec}, one plain sentence each. */
  void validate(ApiKeySpec spec, List<String> problems);

  /** The pace of a provider whose spec sets no {@code rateLimit}; null: none (learnt from the vendor's 429s). */
  default RateLimitSpec defaultRateLimit() {
    return null;
  }

  /** Type, roles and account limits: what the provider's policy decides from the spec alone. */
  Optional<String> checkRequest(Provider provider, ApiKeySpec spec);

  /** Whether the provider's policy lets this key be rotated (a shared key's reset); empty: it may. */
  default Optional<String> checkRotation(Provider provider, ApiKeySpec spec) {
    return Optional.empty();
  }

  /** The identity as written in the spec (names or ids): what a live key grants and can never change. */
  String specIdentity(ApiKeySpec spec);

  /** The settings the vendor updates in place on a live key; empty where it has none. */
  String settings(ApiKeySpec spec);

  /**
   * Whether the key is one the vendor owns and the operator only mirrors (LaunchDarkly's shared environment keys):
   * when the vendor's value changes, the new value replaces it in the Secret, whatever onExternalRevocation says.
   */
  default boolean followsVendorValue(ApiKeySpec spec) {
    return false;
  }

  /**
   * The vendor's own API hosts, where it names them: a namespaced provider of this vendor may not call another
   * vendor's default host (hosts an administrator adds to VENDOR_HOSTS stay open to it). Empty: any vendor host.
   */
  default java.util.Set<String> hosts() {
    return java.util.Set.of();
  }

  /** The public client-side id that templates may use beside the key (LaunchDarkly); null elsewhere. */
  default String clientSideId(dev.apikeyoperator.ledger.LedgerKey key) {
    return null;
  }

  /** What connects this vendor's providers; one per operator (it keeps per-provider caches). */
  Connector connector(OkHttpClient http, Clock clock, Duration directoryTtl);

  /** Builds an {@link Issuer} for a provider from its credential. */
  interface Connector {
    Issuer<?> connect(Provider provider, KeyValue credential);
  }
}
