package dev.apikeyoperator.api.v1alpha1;

import dev.apikeyoperator.lenientread.ReadNotes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** What both provider kinds have in common: a vendor account and its credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@io.fabric8.generator.annotation.ValidationRule(value = "[has(self.fme), has(self.statsig), has(self.launchDarkly), "
    + "has(self.unleash)].filter(x, x).size() == 1", message = "give exactly one of spec.fme, spec.statsig, "
    + "spec.launchDarkly and spec.unleash")
public class ProviderSpec extends ReadNotes {
  @JsonPropertyDescription("Harness FME (Split) account. Exactly one of fme and statsig.")
  public FmeProviderSpec fme;

  @JsonPropertyDescription("Statsig project (Console API). Exactly one of fme and statsig.")
  public StatsigProviderSpec statsig;

  @JsonPropertyDescription("LaunchDarkly account (REST API v2). Exactly one vendor block.")
  public LaunchDarklyProviderSpec launchDarkly;

  @JsonPropertyDescription("Unleash instance (Admin API). Exactly one vendor block.")
  public UnleashProviderSpec unleash;

  @JsonPropertyDescription("true: allow an http:// baseUrl on a non-loopback host (credentials would travel in the "
      + "clear). Default false. Honoured on ClusterApiKeyProviders only: ignored on a namespaced ApiKeyProvider.")
  public boolean allowInsecureHttp;

  @JsonPropertyDescription("Prefixed to every vendor-side key name, so that several clusters sharing one vendor "
      + "account can tell their keys apart.")
  @Size(max = 40)
  public String keyNamePrefix;

  @JsonPropertyDescription("Optional cap on vendor calls shared by every key on this provider. Omitted: paced by the "
      + "vendor's own rate-limit answers (429 and its reset headers).")
  public RateLimitSpec rateLimit;

  @JsonPropertyDescription("What keys this provider may mint. Default: server_side and client_side keys, no admin "
      + "keys, any project and environment.")
  public ProviderPolicy policy;

  public ProviderPolicy policyOrDefault() {
    return policy == null ? new ProviderPolicy() : policy;
  }
}
