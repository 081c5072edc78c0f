package dev.apikeyoperator.issuer.statsig;

import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeySpec;
import dev.apikeyoperator.issuer.Issuer;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.PlanException;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.status.Reason;
import dev.apikeyoperator.issuer.KeyPlan;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.ledger.LedgerKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Statsig project. Keys have no name, so the operator appends its per-attempt key name to the description in
 * parentheses: listing finds every key again, and a create whose answer was lost is resolved without a human.
 * The key value is also the key's id.
 */
public final class StatsigIssuer implements Issuer<StatsigKeySpec> {
  private final StatsigClient client;
  private final Clock clock;

  public StatsigIssuer(StatsigClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** The description the vendor shows: the user's, then the key name as a marker. */
  static String describe(StatsigKeySpec spec, String keyName) {
    return spec.description + " (" + keyName + ")";
  }

  /** The vendor request that creates a key for {@code s} under {@code keyName}. */
  static StatsigKeyRequest request(StatsigKeySpec s, String keyName) {
    return new StatsigKeyRequest(s.type.name(), describe(s, keyName), list(s.scopes), list(s.environments),
        s.targetApp, list(s.secondaryTargetApps));
  }

  /** The vendor request that brings the live key {@code keyName} to {@code s}. */
  static StatsigKeyUpdate update(StatsigKeySpec s, String keyName) {
    return new StatsigKeyUpdate(describe(s, keyName), list(s.scopes), list(s.environments), s.targetApp,
        list(s.secondaryTargetApps));
  }

  @Override
  public KeyPlan<StatsigKeySpec> plan(ApiKeySpec spec) {
    return new KeyPlan<>(StatsigVendor.INSTANCE.specIdentity(spec), spec.statsig);
  }

  @Override
  public MintedKey create(KeyPlan<StatsigKeySpec> plan, String keyName) {
    return minted(client.create(request(plan.request(), keyName)));
  }

  @Override
  public void revoke(LedgerKey key) {
    client.delete(key.value());
  }

  @Override
  public void deactivate(LedgerKey key) {
    client.deactivate(key.value());
  }

  @Override
  public Optional<MintedKey> findLost(String keyName, LedgerKey rotatedFrom) {
    if (rotatedFrom != null) {
      // A native rotation copies the description: the successor carries the old key's marker.
      return client.findByDescriptionMarker(rotatedFrom.name())
          .filter(k -> k.active() && !k.key().equals(rotatedFrom.value())).map(this::minted);
    }
    return client.findByDescriptionMarker(keyName).map(this::minted);
  }

  @Override
  public boolean isActive(LedgerKey key) {
    return client.read(key.value()).map(StatsigKey::active).orElse(false);
  }

  @Override
  public void updateInPlace(LedgerKey key, ApiKeySpec spec) {
    client.update(key.value(), update(spec.statsig, key.name()));
  }

  @Override
  public void checkAdoptable(KeyValue key, ApiKeySpec spec, Provider provider) throws PlanException {
    StatsigKey live = client.read(key).filter(StatsigKey::active).orElseThrow(() -> new PlanException(
        Reason.InvalidSpec, "the key to adopt (" + key.fingerprint() + ") is not an active key of this Statsig "
        + "project: check spec.adopt.secretRef and the provider"));
    if (!spec.statsig.type.name().equalsIgnoreCase(live.type())) {
      throw new PlanException(Reason.InvalidSpec, "the key to adopt (" + key.fingerprint() + ") is a "
          + live.type() + " key, but spec.statsig.type is " + spec.statsig.type + ": a key's type cannot change, "
          + "so give the type it has");
    }
    Optional<String> denied = StatsigPolicy.check(provider, spec.statsig.type, live.scopes(), live.environments());
    if (denied.isPresent()) {
      throw new PlanException(Reason.PolicyDenied, "the key to adopt (" + key.fingerprint() + ") is outside the "
          + "policy: " + denied.get());
    }
  }

  @Override
  public MintedKey rotate(LedgerKey key, String keyName) {
    return minted(client.rotate(key.value()));
  }

  @Override
  public Optional<String> checkCredentials() {
    client.checkCredentials();
    return Optional.empty();
  }

  private MintedKey minted(StatsigKey key) {
    return new MintedKey(null, key.key(), Instant.now(clock));
  }

  private static List<String> list(List<String> values) {
    return values == null ? List.of() : values.stream().filter(Objects::nonNull).toList();
  }
}
