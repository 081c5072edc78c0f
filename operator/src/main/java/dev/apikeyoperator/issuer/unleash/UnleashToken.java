package dev.apikeyoperator.issuer.unleash;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.time.Instant;
import java.util.List;

/**
 * An API token as Unleash describes it. {@code secret} is also the token's handle in the Admin API; it is null where
 * the server does not show it again (newer "secure" tokens are shown once, by the create call). {@code type} is
 * {@code backend} (Unleash's older name {@code client} is read as backend), {@code frontend} or {@code admin}.
 * {@link #toString()} shows only the secret's fingerprint.
 */
public record UnleashToken(String tokenName, KeyValue secret, String type, String environment, List<String> projects,
    Instant expiresAt) {

  public UnleashToken {
    projects = projects == null ? List.of() : List.copyOf(projects);
  }
}
