package dev.apikeyoperator.issuer.fme;

import dev.apikeyoperator.api.v1alpha1.AuthScheme;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.issuer.Issuer;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;

/** Harness FME (Split): keys cannot be listed, read back, updated or rotated; names resolve through a directory. */
public final class FmeVendor implements Vendor {
  public static final FmeVendor INSTANCE = new FmeVendor();
  private static final Capabilities CAPABILITIES = new Capabilities(false, false, false, false, false, false);

  private FmeVendor() {}

  @Override
  public String name() {
    return "fme";
  }

  @Override
  public boolean accountOf(ProviderSpec spec) {
    return spec.fme != null;
  }

  @Override
  public boolean keyOf(ApiKeySpec spec) {
    return spec.fme != null;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public CredentialsSecretRef credentialsRef(ProviderSpec spec) {
    return spec.fme == null || spec.fme.credentials == null ? null : spec.fme.credentials.secretRef;
  }

  @Override
  public String baseUrl(ProviderSpec spec) {
    return spec.fme.baseUrlOrDefault();
  }

  @Override
  public void validate(ApiKeySpec spec, List<String> problems) {
    FmeSpecRules.validate(spec.fme, problems);
  }

  @Override
  public Optional<String> checkRequest(Provider provider, ApiKeySpec spec) {
    return FmePolicy.checkRequest(provider, spec.fme);
  }

  @Override
  public String specIdentity(ApiKeySpec spec) {
    return FmeIdentity.ofSpec(spec.fme);
  }

  /** FME keys have no settings that change in place. */
  @Override
  public String settings(ApiKeySpec spec) {
    return "";
  }

  @Override
  public Connector connector(OkHttpClient http, Clock clock, Duration directoryTtl) {
    // The name-to-id directory of each provider outlives credential rotations.
    Map<String, FmeDirectory> directories = new ConcurrentHashMap<>();
    // What each credential was found able to do belongs to that credential: a rotated one starts unknown.
    Map<String, FmeCredentialReach> reaches = new ConcurrentHashMap<>();
    return (provider, credential) -> {
      String account = provider.uid() + "|" + provider.baseUrl();
      return connect(http, provider, credential,
          directories.computeIfAbsent(account, k -> new FmeDirectory(directoryTtl, clock)),
          reaches.computeIfAbsent(account + "|" + credential.fingerprint(), k -> new FmeCredentialReach()));
    };
  }

  private static Issuer<?> connect(OkHttpClient http, Provider provider, KeyValue credential,
      FmeDirectory directory, FmeCredentialReach reach) {
    AuthScheme scheme = provider.spec().fme.credentials.scheme == AuthScheme.XApiKey ? AuthScheme.XApiKey
        : AuthScheme.Bearer;
    return new FmeIssuer(new FmeClient(http, new FmeEndpoint(provider.baseUrl(), credential, scheme)), directory,
        provider, reach);
  }
}
