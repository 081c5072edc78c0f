package dev.apikeyoperator.api.v1alpha1;

import io.fabric8.generator.annotation.ValidationRule;

/** Spec of a cluster-scoped provider: its credentials Secret's namespace must be named. */
@ValidationRule(
    value = "(!has(self.fme) || has(self.fme.credentials.secretRef.__namespace__)) && (!has(self.statsig) || "
        + "has(self.statsig.credentials.secretRef.__namespace__)) && (!has(self.launchDarkly) || "
        + "has(self.launchDarkly.credentials.secretRef.__namespace__)) && (!has(self.unleash) || "
        + "has(self.unleash.credentials.secretRef.__namespace__))",
    message = "a ClusterApiKeyProvider needs credentials.secretRef.namespace")
public class ClusterApiKeyProviderSpec extends ProviderSpec {
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Namespaces whose ApiKeys this provider serves (names or "
      + "label selector). Omitted: every namespace.")
  public AllowedNamespaces allowedNamespaces;
}
