package dev.apikeyoperator.account;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.StatsigKeySpec;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.issuer.statsig.StatsigClient;
import dev.apikeyoperator.issuer.statsig.StatsigKey;
import dev.apikeyoperator.issuer.statsig.StatsigKeyRequest;
import dev.apikeyoperator.issuer.statsig.StatsigKeyUpdate;
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
public final class StatsigAccount implements VendorAccount {
  private final StatsigClient client;
  private final Clock clock;

  public StatsigAccount(StatsigClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** The description the vendor shows: the user's, then the key name as a marker. */
  static String describe(StatsigKeySpec spec, String keyName) {
    return spec.description + " (" + keyName + ")";
  }

  @Override
  public KeyPlan plan(ApiKey apiKey) {
    return new KeyPlan(Identity.ofSpec(apiKey.getSpec()), apiKey.getSpec().statsig);
  }

  @Override
  public MintedKey create(KeyPlan plan, String keyName) {
    StatsigKeySpec s = (StatsigKeySpec) plan.request();
    StatsigKey key = client.create(new StatsigKeyRequest(s.type.name(), describe(s, keyName), list(s.scopes),
        list(s.environments), s.targetApp, list(s.secondaryTargetApps)));
    return minted(key);
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
  public boolean findsLostKeys() {
    return true;
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
  public boolean readsBack() {
    return true;
  }

  @Override
  public boolean isActive(LedgerKey key) {
    return client.read(key.value()).map(StatsigKey::active).orElse(false);
  }

  @Override
  public void updateInPlace(LedgerKey key, ApiKey apiKey) {
    StatsigKeySpec s = apiKey.getSpec().statsig;
    client.update(key.value(), new StatsigKeyUpdate(describe(s, key.name()), list(s.scopes), list(s.environments),
        s.targetApp, list(s.secondaryTargetApps)));
  }

  @Override
  public boolean rotatesNatively() {
    return true;
  }

  @Override
  public MintedKey rotate(LedgerKey key, String keyName) {
    return minted(client.rotate(key.value()));
  }

  @Override
  public void checkCredentials() {
    client.checkCredentials();
  }

  private MintedKey minted(StatsigKey key) {
    return new MintedKey(null, key.key(), Instant.now(clock));
  }

  private static List<String> list(List<String> values) {
    return values == null ? List.of() : values.stream().filter(Objects::nonNull).toList();
  }
}
