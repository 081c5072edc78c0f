package dev.apikeyoperator.issuer.statsig;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.util.List;
import java.util.Objects;

/**
 * A key as the vendor describes it. The key value is also its id. {@code primaryTargetApp} may be {@code null};
 * null lists are taken as empty. {@code status} is {@code active} or {@code deactivated}. {@link #toString()} shows
 * only the value's fingerprint.
 */
public record StatsigKey(
    KeyValue key,
    String type,
    String description,
    List<String> scopes,
    List<String> environments,
    String primaryTargetApp,
    List<String> secondaryTargetApps,
    String status) {

  public static final String ACTIVE = "active";
  public static final String DEACTIVATED = "deactivated";

  public StatsigKey {
    Objects.requireNonNull(key, "key");
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
    environments = environments == null ? List.of() : List.copyOf(environments);
    secondaryTargetApps = secondaryTargetApps == null ? List.of() : List.copyOf(secondaryTargetApps);
  }

  /** {@code "active".equals(status)}. */
  public boolean active() {
    return ACTIVE.equals(status);
  }
}
