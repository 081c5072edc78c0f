package dev.apikeyoperator.issuer.statsig;

import java.util.List;

/**
 * An in-place update with {@code PATCH /keys/{key}}: every non-null field is sent, {@code null} fields are omitted
 * (left unchanged at the vendor). An empty list is sent as {@code []} (clears it); a {@code targetAppID} of
 * {@code ""} is sent as is (clears the primary target app). The key's type can never be updated.
 */
public record StatsigKeyUpdate(
    String description,
    List<String> scopes,
    List<String> environments,
    String targetAppID,
    List<String> secondaryTargetAppIDs) {
  public StatsigKeyUpdate {
    scopes = scopes == null ? null : List.copyOf(scopes);
    environments = environments == null ? null : List.copyOf(environments);
    secondaryTargetAppIDs = secondaryTargetAppIDs == null ? null : List.copyOf(secondaryTargetAppIDs);
  }
}
