package dev.apikeyoperator.simulator;

import java.time.Instant;
import java.util.List;

/**
 * An API token of the Unleash simulator, as the Admin API lists it. {@code type} is stored as Unleash stores it:
 * {@code client} for a backend token, {@code frontend} or {@code admin}. {@code expiresAt} null: never.
 */
public record UnleashSimToken(String secret, String tokenName, String type, String environment,
    List<String> projects, Instant expiresAt, Instant createdAt) {

  public UnleashSimToken {
    projects = List.copyOf(projects);
  }

  /** Whether the token works at {@code now} (it exists and has not expired). */
  public boolean worksAt(Instant now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }

  UnleashSimToken withExpiresAt(Instant at) {
    return new UnleashSimToken(secret, tokenName, type, environment, projects, at, createdAt);
  }
}
