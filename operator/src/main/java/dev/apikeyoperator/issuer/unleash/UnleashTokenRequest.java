package dev.apikeyoperator.issuer.unleash;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@code POST /api/admin/api-tokens} creates: a token named {@code tokenName} (the operator's per-attempt key
 * name, so a create whose answer was lost is found again by name), of {@code type} ({@code backend} or
 * {@code frontend}), for one environment and these projects; {@code expiresAt} null: no expiry.
 */
public record UnleashTokenRequest(String tokenName, String type, String environment, List<String> projects,
    Instant expiresAt) {
  public UnleashTokenRequest {
    Objects.requireNonNull(tokenName, "tokenName");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(environment, "environment");
    projects = List.copyOf(projects);
  }
}
