package dev.apikeyoperator.simulator;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one API key held by the simulator. {@link #toString()} never prints the key value.
 *
 * @param name           the name given at creation (names need not be unique)
 * @param id             the key's id (always generated, even when the create response omitted it)
 * @param key            the secret key value
 * @param type           {@code admin}, {@code server_side} or {@code client_side}
 * @param workspaceId    the project id, or {@code null} for a global admin key
 * @param environmentIds the environment ids (empty for a global or project-scoped admin key)
 * @param roles          the roles (empty for server_side and client_side keys)
 * @param active         false once revoked
 * @param createdAt      creation time
 * @param revokedAt      revocation time, or {@code null} while active
 */
public record SimKey(
    String name,
    String id,
    String key,
    String type,
    String workspaceId,
    List<String> environmentIds,
    List<String> roles,
    boolean active,
    Instant createdAt,
    Instant revokedAt) {

  public SimKey {
    environmentIds = environmentIds == null ? List.of() : List.copyOf(environmentIds);
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  @Override
  public String toString() {
    return "SimKey[name=" + name
        + ", id=" + id
        + ", key=<redacted>"
        + ", type=" + type
        + ", workspaceId=" + workspaceId
        + ", environmentIds=" + environmentIds
        + ", roles=" + roles
        + ", active=" + active
        + ", createdAt=" + createdAt
        + ", revokedAt=" + revokedAt
        + "]";
  }
}
