package dev.apikeyoperator.issuer.statsig;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.util.Objects;

/**
 * Where and how to call the Statsig Console API. {@code baseUrl} may end with a slash or not, e.g.
 * {@code https://statsigapi.net/console/v1}. {@code consoleKey} is sent as {@code STATSIG-API-KEY} and needs the
 * {@code can_access_keys} scope. {@link #toString()} shows only the console key's fingerprint.
 */
public record StatsigEndpoint(String baseUrl, KeyValue consoleKey) {
  public StatsigEndpoint {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(consoleKey, "consoleKey");
  }
}
