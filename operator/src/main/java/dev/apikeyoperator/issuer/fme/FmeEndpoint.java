package dev.apikeyoperator.issuer.fme;

import dev.apikeyoperator.api.v1alpha1.AuthScheme;
import dev.apikeyoperator.secretvalue.KeyValue;
import java.util.Objects;

/**
 * Where and how to call the FME Admin API. {@code baseUrl} may end with a slash or not, e.g.
 * {@code https://api.split.io/internal/api/v2}. {@link #toString()} shows only the credential's fingerprint.
 */
public record FmeEndpoint(String baseUrl, KeyValue credential, AuthScheme scheme) {
  public FmeEndpoint {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(scheme, "scheme");
  }
}
