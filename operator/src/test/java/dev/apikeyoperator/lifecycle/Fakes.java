package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeKeySpec;
import dev.apikeyoperator.issuer.Issuer;
import dev.apikeyoperator.issuer.KeyPlan;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.pacing.Pacing;
import dev.apikeyoperator.pacing.Throttle;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.secret.SecretConflictException;
import dev.apikeyoperator.secret.SecretTemplates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/** In-memory stand-ins for the executor's collaborators: no API server, no vendor. */
final class Fakes {
  /** An FME ApiKey shop/checkout (uid-1, generation 1) on the ApiKeyProvider named {@code provider}. */
  static ApiKey fmeApiKey(String provider) {
    ApiKey k = new ApiKey();
    k.getMetadata().setName("checkout");
    k.getMetadata().setNamespace("shop");
    k.getMetadata().setUid("uid-1");
    k.getMetadata().setGeneration(1L);
    ApiKeySpec spec = new ApiKeySpec();
    spec.providerRef = new ProviderRef();
    spec.providerRef.name = provider;
    spec.fme = new FmeKeySpec();
    spec.fme.type = FmeKeyType.SERVER_SIDE;
    spec.fme.project = NameOrId.byName("p");
    spec.fme.environments = new ArrayList<>(List.of(NameOrId.byName("e")));
    k.setSpec(spec);
    return k;
  }

  private Fakes() {}

  /** The ledger as a field; every write bumps its resourceVersion and is kept in order. */
  static final class Ledgers implements KeptState {
    Ledger stored = Ledger.EMPTY;
    int version;
    final List<Ledger> written = new ArrayList<>();
    boolean released;

    @Override
    public Ledger cached(ApiKey apiKey) {
      return stored;
    }

    @Override
    public Ledger fresh(ApiKey apiKey) {
      return stored;
    }

    @Override
    public Ledger write(ApiKey apiKey, Ledger ledger) {
      stored = ledger.withResourceVersion(String.valueOf(++version));
      written.add(stored);
      return stored;
    }

    @Override
    public Ledger discard(ApiKey apiKey, String resourceVersion) {
      return write(apiKey, Ledger.EMPTY);
    }

    @Override
    public void release(ApiKey apiKey) {
      released = true;
    }

    @Override
    public Optional<Secret> foreignLedgerSecret(ApiKey apiKey) {
      return Optional.empty();
    }
  }

  /** Events as "Type Reason: message" lines. */
  static final class Events implements EventSink {
    final List<String> lines = new ArrayList<>();
    boolean warningsFail;

    @Override
    public void normal(HasMetadata about, String reason, String message) {
      lines.add("Normal " + reason + ": " + message);
    }

    @Override
    public void warning(HasMetadata about, String reason, String message) {
      lines.add("Warning " + reason + ": " + message);
    }

    @Override
    public boolean tryWarning(HasMetadata about, String reason, String message) {
      if (warningsFail) {
        return false;
      }
      warning(about, reason, message);
      return true;
    }

    List<String> reasons() {
      return lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
    }
  }

  /** The managed Secrets by name: what was last ensured, and Secrets that exist. */
  static final class Secrets implements ManagedSecret {
    final Map<String, Secret> existing = new HashMap<>();
    final List<SecretTemplates.KeyFacts> ensured = new ArrayList<>();
    boolean conflict;

    @Override
    public Secret current(ApiKey apiKey, String name) {
      return existing.get(name);
    }

    @Override
    public void checkWritable(ApiKey apiKey) throws SecretConflictException {
      if (conflict) {
        throw new SecretConflictException("Secret checkout belongs to somebody else");
      }
    }

    @Override
    public void ensure(ApiKey apiKey, SecretTemplates.KeyFacts key) throws SecretConflictException {
      checkWritable(apiKey);
      ensured.add(key);
    }

    @Override
    public void orphan(ApiKey apiKey) {}
  }

  /**
   * A fake issuer in the style of crossplane's {@code ExternalClientFns}: each call is a function a test may
   * replace; every call is recorded by name.
   */
  static final class FakeIssuer implements Issuer<String> {
    final List<String> calls = new ArrayList<>();
    Function<ApiKeySpec, KeyPlan<String>> plan = spec -> new KeyPlan<>(Vendors.of(spec).specIdentity(spec), "req");
    BiFunction<KeyPlan<String>, String, MintedKey> create = (p, name) -> new MintedKey("id-" + name,
        KeyValue.of("value-" + name), Instant.parse("2026-01-01T12:00:00Z"));
    Consumer<LedgerKey> revoke = k -> {};
    Consumer<LedgerKey> updateInPlace = k -> {};
    Predicate<LedgerKey> isActive = k -> true;
    BiFunction<String, LedgerKey, Optional<MintedKey>> findLost = (name, rotatedFrom) -> Optional.empty();
    BiFunction<LedgerKey, Instant, Void> expire = (k, at) -> null;

    @Override
    public KeyPlan<String> plan(ApiKeySpec spec) {
      calls.add("plan");
      return plan.apply(spec);
    }

    @Override
    public MintedKey create(KeyPlan<String> p, String keyName) {
      calls.add("create " + keyName);
      return create.apply(p, keyName);
    }

    @Override
    public void updateInPlace(LedgerKey key, ApiKeySpec spec) {
      calls.add("updateInPlace " + key.name());
      updateInPlace.accept(key);
    }

    @Override
    public void revoke(LedgerKey key) {
      calls.add("revoke " + key.name());
      revoke.accept(key);
    }

    @Override
    public boolean isActive(LedgerKey key) {
      calls.add("isActive " + key.name());
      return isActive.test(key);
    }

    @Override
    public Optional<MintedKey> findLost(String keyName, LedgerKey rotatedFrom, ApiKeySpec spec) {
      calls.add("findLost " + keyName);
      return findLost.apply(keyName, rotatedFrom);
    }

    @Override
    public void expire(LedgerKey key, Instant at) {
      calls.add("expire " + key.name());
      expire.apply(key, at);
    }

    @Override
    public Optional<String> checkCredentials() {
      return Optional.empty();
    }
  }

  /** The fake issuer behind a real pace and real call slots. */
  static final class Access implements IssuerAccess {
    final FakeIssuer issuer = new FakeIssuer();
    final Vendor vendor;
    final Pacing pacing;
    final Throttle throttle;

    Access(Vendor vendor, Clock clock) {
      this.vendor = vendor;
      this.pacing = new Pacing(4, clock);
      this.throttle = pacing.throttle("fake", null);
    }

    @Override
    public VendorConnections.Connection connect(Provider provider) {
      return new VendorConnections.Connection(vendor, issuer, throttle, "sha256:credential", false);
    }

    @Override
    public Throttle throttle(Provider provider) {
      return throttle;
    }

    @Override
    public Pacing pacing() {
      return pacing;
    }

    @Override
    public void refused(VendorConnections.Connection connection) {}

    @Override
    public boolean rotatedSince(VendorConnections.Connection connection, Provider provider) {
      return false;
    }
  }
}
