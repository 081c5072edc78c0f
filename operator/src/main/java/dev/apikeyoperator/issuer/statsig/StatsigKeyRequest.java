package dev.apikeyoperator.issuer.statsig;

import java.util.List;
import java.util.Objects;

/**
 * What to create with {@code POST /keys}. {@code type} is {@code SERVER}, {@code CLIENT} or {@code CONSOLE} (it can
 * never change afterwards); {@code description} is required (the vendor allows at most 1000 characters) and should
 * end with {@code "(" + marker + ")"} so that a create whose answer was lost can be found again with
 * {@link StatsigClient#findByDescriptionMarker(String)}. {@code targetAppID} may be {@code null}. Null lists are
 * taken as empty; empty lists are not sent (the vendor's default applies).
 */
public record StatsigKeyRequest(
    String type,
    String description,
    List<String> scopes,
    List<String> environments,
    String targetAppID,
    List<String> secondaryTargetAppIDs) {
  public StatsigKeyRequest {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
    environments = environments == null ? List.of() : List.copyOf(environments);
    secondaryTargetAppIDs = secondaryTargetAppIDs == null ? List.of() : List.copyOf(secondaryTargetAppIDs);
  }
}
