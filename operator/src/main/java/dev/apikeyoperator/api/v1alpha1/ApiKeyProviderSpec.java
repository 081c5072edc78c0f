package dev.apikeyoperator.api.v1alpha1;

import io.fabric8.generator.annotation.ValidationRule;

/** Spec of a namespaced provider: its credentials Secret is in its own namespace. */
@ValidationRule(
    value = "(!has(self.fme) || !has(self.fme.credentials.secretRef.__namespace__)) && (!has(self.statsig) || "
        + "!has(self.statsig.credentials.secretRef.__namespace__)) && (!has(self.launchDarkly) || "
        + "!has(self.launchDarkly.credentials.secretRef.__namespace__)) && (!has(self.unleash) || "
        + "!has(self.unleash.credentials.secretRef.__namespace__))",
    message = "an ApiKeyProvider reads its credentials Secret from its own namespace: remove "
        + "credentials.secretRef.namespace (or use a ClusterApiKeyProvider)")
public class ApiKeyProviderSpec extends ProviderSpec {}
