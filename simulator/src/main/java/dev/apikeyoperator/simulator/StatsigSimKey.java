package dev.apikeyoperator.simulator;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one key held by the {@link StatsigSimulator}. {@link #toString()} never prints the key value.
 *
 * @param key                 the key value, which is also its id ({@code secret-}, {@code client-} or {@code console-}
 *                            followed by 40 alphanumerics)
 * @param type                {@code SERVER}, {@code CLIENT} or {@code CONSOLE}
 * @param description         the description (1..1000 characters)
 * @param scopes              the scopes (may be empty)
 * @param environments        the environment names (may be empty)
 * @param targetApp           the primary target app id, or {@code null}
 * @param secondaryTargetApps the secondary target app ids (may be empty)
 * @param status              {@code active}, {@code deactivated} or {@code deleted} (deleted also covers the old key
 *                            of a rotation)
 * @param createdAt           creation time
 */
public record StatsigSimKey(
    String key,
    String type,
    String description,
    List<String> scopes,
    List<String> environments,
    String targetApp,
    List<String> secondaryTargetApps,
    String status,
    Instant createdAt) {

  /** The {@code status} of a usable key. */
  public static final String ACTIVE = "active";
  /** The {@code status} of a deactivated key: still listed and readable, no longer usable. */
  public static final String DEACTIVATED = "deactivated";
  /** The {@code status} of a deleted (or rotated-away) key: gone from the API. */
  public static final String DELETED = "deleted";

  public StatsigSimKey {
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
    environments = environments == null ? List.of() : List.copyOf(environments);
    secondaryTargetApps = secondaryTargetApps == null ? List.of() : List.copyOf(secondaryTargetApps);
  }

  /** True when {@code status} is {@code active}. */
  public boolean isActive() {
    return ACTIVE.equals(status);
  }

  /** True when {@code status} is {@code deleted}. */
  public boolean isDeleted() {
    return DELETED.equals(status);
  }

  StatsigSimKey withStatus(String newStatus) {
    return new StatsigSimKey(key, type, description, scopes, environments, targetApp, secondaryTargetApps, newStatus,
        createdAt);
  }

  @Override
  public String toString() {
    return "StatsigSimKey[key=<redacted>"
        + ", type=" + type
        + ", description=" + description
        + ", scopes=" + scopes
        + ", environments=" + environments
        + ", targetApp=" + targetApp
        + ", secondaryTargetApps=" + secondaryTargetApps
        + ", status=" + status
        + ", createdAt=" + createdAt
        + "]";
  }
}
