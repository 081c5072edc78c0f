package dev.apikeyoperator.issuer.fme;

import java.util.List;
import java.util.Objects;

/**
 * What to create: {@code apiKeyType} is {@code admin}, {@code server_side} or {@code client_side};
 * {@code workspaceId} is the project id or {@code null} (global admin key). Null lists are taken as empty.
 */
public record FmeKeyRequest(
    String name, String apiKeyType, String workspaceId, List<String> environmentIds, List<String> roles) {
  public FmeKeyRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(apiKeyType, "apiKeyType");
    environmentIds = environmentIds == null ? List.of() : List.copyOf(environmentIds);
    roles = roles == null ? List.of() : List.copyOf(roles);
  }
}
