package dev.apikeyoperator.issuer.unleash;

import dev.apikeyoperator.api.v1alpha1.GoDuration;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.UnleashKeySpec;
import dev.apikeyoperator.api.v1alpha1.UnleashTokenType;
import dev.apikeyoperator.issuer.Issuer;
import dev.apikeyoperator.issuer.KeyPlan;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.issuer.PlanException;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.status.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * An Unleash instance. Each token is named with the operator's per-attempt key name, so a create whose answer was
 * lost is found again by listing that name. The token's secret is its only handle (delete and expiry take it).
 */
public final class UnleashIssuer implements Issuer<UnleashKeySpec> {
  private final UnleashClient client;
  private final Clock clock;

  public UnleashIssuer(UnleashClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** The create request for {@code spec} named {@code keyName}; with an expiry when the spec asks for one. */
  static UnleashTokenRequest request(UnleashKeySpec spec, String keyName, Instant now) {
    Instant expiresAt = spec.expireAfter == null ? null : now.plus(GoDuration.parse(spec.expireAfter));
    return new UnleashTokenRequest(keyName, spec.type.name(), spec.environment,
        spec.projects.stream().distinct().toList(), expiresAt);
  }

  @Override
  public KeyPlan<UnleashKeySpec> plan(ApiKeySpec spec) {
    return new KeyPlan<>(UnleashVendor.INSTANCE.specIdentity(spec), spec.unleash);
  }

  @Override
  public MintedKey create(KeyPlan<UnleashKeySpec> plan, String keyName) {
    Instant now = Instant.now(clock);
    UnleashToken token = client.create(request(plan.request(), keyName, now));
    return new MintedKey(null, token.secret(), now);
  }

  @Override
  public void revoke(LedgerKey key) {
    client.delete(key.value());
  }

  @Override
  public void expire(LedgerKey key, Instant at) {
    client.expire(key.value(), at);
  }

  @Override
  public Optional<MintedKey> findLost(String keyName, LedgerKey rotatedFrom) {
    List<UnleashToken> named = client.listByName(keyName).stream().filter(t -> keyName.equals(t.tokenName()))
        .toList();
    Optional<UnleashToken> shown = named.stream().filter(t -> t.secret() != null).findFirst();
    if (shown.isEmpty() && !named.isEmpty()) {
      // A token whose secret Unleash shows only once: it exists, but the operator can neither serve nor revoke it.
      throw new VendorErrorException("Unleash has a token named " + keyName + " whose create answer was lost, and "
          + "does not show its secret again: delete that token in Unleash (API access), then the operator creates "
          + "another", 200, false);
    }
    return shown.map(t -> new MintedKey(null, t.secret(), Instant.now(clock)));
  }

  @Override
  public void checkAdoptable(KeyValue key, ApiKeySpec spec, Provider provider) throws PlanException {
    UnleashToken live = client.listAll().stream().filter(t -> key.equals(t.secret())).findFirst()
        .orElseThrow(() -> new PlanException(Reason.InvalidSpec, "the token to adopt (" + key.fingerprint() + ") is "
            + "not a token of this Unleash instance (or has expired): check spec.adopt.secretRef and the provider"));
    UnleashKeySpec u = spec.unleash;
    if (!u.type.name().equals(live.type())) {
      throw new PlanException(Reason.InvalidSpec, "the token to adopt (" + key.fingerprint() + ") is a "
          + live.type() + " token, but spec.unleash.type is " + u.type + ": a token's type cannot change, so give "
          + "the type it has");
    }
    if (!u.environment.equals(live.environment())
        || !new HashSet<>(u.projects).equals(new HashSet<>(live.projects()))) {
      throw new PlanException(Reason.InvalidSpec, "the token to adopt (" + key.fingerprint() + ") is for "
          + "environment " + live.environment() + " and projects " + live.projects() + ", but spec.unleash asks for "
          + u.environment + " and " + u.projects + ": give what the token has");
    }
    Optional<String> denied = UnleashPolicy.check(provider, UnleashTokenType.valueOf(live.type()), live.projects(),
        live.environment());
    if (denied.isPresent()) {
      throw new PlanException(Reason.PolicyDenied, "the token to adopt (" + key.fingerprint() + ") is outside the "
          + "policy: " + denied.get());
    }
  }

  @Override
  public Optional<String> checkCredentials() {
    client.checkCredentials();
    return Optional.empty();
  }
}
