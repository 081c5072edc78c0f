package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.issuer.Issuer;
import dev.apikeyoperator.issuer.KeyPlan;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.issuer.NameNotFoundException;
import dev.apikeyoperator.issuer.PlanException;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.pacing.Slot;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.policy.MintBudget;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.secret.SecretConflictException;
import dev.apikeyoperator.status.Reason;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Step.Mint} step: plan (names resolved, scope policy checked), write the intent, create or rotate at the
 * vendor, record the outcome. A lost answer is settled by {@link PendingCreations}, never retried silently.
 */
final class KeyMinter {
  private static final Logger LOG = LoggerFactory.getLogger(KeyMinter.class);
  private static final Duration LOOK_AGAIN = IssuerCalls.LOOK_AGAIN;
  /** The longest vendor-side key name: FME's limit (Statsig descriptions, which carry the name, allow 1000). */
  static final int MAX_KEY_NAME_LENGTH = 100;
  private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final KeptState ledgers;
  private final LedgerWrites writes;
  private final PendingCreations pendings;
  private final ManagedSecret secretWriter;
  private final EventSink events;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  /**
   * Per ApiKey uid: the last create the vendor refused for good, so that it is not asked again at once. Kept in
   * memory: the status does not say when the vendor refused (lastTransitionTime moves only on a flip), and a
   * refusal forgotten (a restart) costs one refused call.
   */
  private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();
  private final MintBudget budget;

  KeyMinter(KeptState ledgers, LedgerWrites writes, PendingCreations pendings, ManagedSecret secretWriter,
      EventSink events, OperatorMetrics metrics, Clock clock) {
    this.ledgers = ledgers;
    this.writes = writes;
    this.pendings = pendings;
    this.secretWriter = secretWriter;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.budget = new MintBudget(clock);
  }

  private StatusException budgetSpent(Provider provider, String namespace, LedgerKey current, Duration wait) {
    Duration retry = wait.plusSeconds(1);
    return new StatusException(Reason.RateLimited, Messages.mintBudgetSpent(provider.displayName(), namespace,
        MintBudget.perHour(provider).orElseThrow(), Instant.now(clock).plus(retry), current), retry);
  }

  /** The ApiKey is gone. */
  void forget(String uid) {
    refusals.remove(uid);
  }

  /**
   * The vendor's refusal of this very generation of the spec, while it holds: asking again before then would be
   * refused the same way.
   */
  Optional<KeyDecision.Stop> refusal(ApiKey apiKey, Instant now) {
    Refusal refusal = refusals.get(apiKey.getMetadata().getUid());
    return refusal == null || !refusal.stillHolds(apiKey, now) ? Optional.empty()
        : Optional.of(new KeyDecision.Stop(refusal.problem().reason(), refusal.problem().getMessage(),
            Duration.between(now, refusal.until())));
  }

  /** Creates the key the spec needs (first key, replacement after an identity change, or rotation). */
  Ledger mint(ApiKey apiKey, Ledger ledger, Provider provider, Desired desired, String rotation,
      IssuerCalls.Session session) throws StatusException {
    String namespace = apiKey.getMetadata().getNamespace();
    Optional<Duration> overBudget = budget.waitBefore(provider, namespace);
    if (overBudget.isPresent()) { // before any turn of the pace is taken
      throw budgetSpent(provider, namespace, ledger.current(), overBudget.get());
    }
    VendorConnections.Connection connection = session.connect(provider, Reason.ProviderNotReady);
    // Its turn of the pace first, so that a key that waits reads nothing; then the check of the Secret (no key is
    // minted that could not be stored), made once, outside the namespace's call slot; then a slot and the permit,
    // held from here until the create answered (its intent is written holding them).
    session.awaitTurn(provider, Messages.waitToCreate());
    checkSecretIsOurs(apiKey);
    Slot.Turn.Permit permit = session.pace(provider, Messages.waitToCreate());
    return mint(apiKey, ledger, provider, desired, rotation, session, connection, permit, connection.issuer());
  }

  private <R> Ledger mint(ApiKey apiKey, Ledger ledger, Provider provider, Desired desired, String rotation,
      IssuerCalls.Session session, VendorConnections.Connection connection, Slot.Turn.Permit permit, Issuer<R> issuer)
      throws StatusException {
    LedgerKey current = ledger.current();
    KeyPlan<R> plan;
    try {
      plan = issuer.plan(apiKey.getSpec());
    } catch (PlanException e) {
      boolean lookAgain = e.reason() != Reason.PolicyDenied;
      throw new StatusException(e.reason(), Messages.planFailed(e.getMessage(), lookAgain, LOOK_AGAIN, current),
          lookAgain ? LOOK_AGAIN : null);
    } catch (VendorException e) {
      throw session.vendorFailure(e, connection);
    }
    if (current != null && plan.identity().equals(current.identity()) && rotation == null
        && current.mintedThrough(provider.ref())) {
      // Same key, spelled differently (a name replaced by its id, or the reverse): nothing to mint.
      return ledgers.write(apiKey, ledger.withCurrent(current.withSpecIdentity(desired.specIdentity())));
    }
    Capabilities can = connection.vendor().capabilities();
    boolean nativeRotation = current != null && current.mintedThrough(provider.ref())
        && KeyDecision.rotatesNatively(current, rotation, plan.identity(), can, LedgerWrites.gracePeriod(apiKey));
    if (rotation != null && !nativeRotation) {
      Optional<String> denied = connection.vendor().checkRotation(provider, apiKey.getSpec());
      if (denied.isPresent()) {
        throw new StatusException(Reason.PolicyDenied, Messages.planFailed(denied.get(), false, LOOK_AGAIN, current),
            null);
      }
    }
    Optional<Duration> overBudget = budget.take(provider, apiKey.getMetadata().getNamespace());
    if (overBudget.isPresent()) { // another key of the namespace took the last of the hour's budget meanwhile
      throw budgetSpent(provider, apiKey.getMetadata().getNamespace(), current, overBudget.get());
    }
    String keyName = newKeyName(apiKey, provider);
    ledger = writes.writeIntent(apiKey, ledger, keyName, nativeRotation ? current.name() : null);
    MintedKey minted;
    try {
      minted = nativeRotation ? issuer.rotate(current, keyName)
          : rotation != null && current != null ? issuer.createReplacing(plan, keyName, current,
              Instant.now(clock).plus(LedgerWrites.gracePeriod(apiKey))) : issuer.create(plan, keyName);
    } catch (VendorOutcomeUnknownException e) {
      LOG.warn("Lost the answer to creating key {}: {}", keyName, e.getMessage());
      if (can.findsLostKeys()) {
        throw new StatusException(Reason.Provisioning, Messages.lookingUpLost(keyName), Duration.ofSeconds(2));
      }
      throw pendings.indeterminate(apiKey, ledger).problem();
    } catch (VendorException e) {
      if (e instanceof VendorErrorException v && !v.permanent() && can.findsLostKeys()) {
        // A 5xx may come from a gateway that passed the create on: look the key up before creating again.
        throw StatusException.transientFailure(Reason.Provisioning,
            Messages.createFailedChecking(keyName, e.getMessage()));
      }
      ledgers.write(apiKey, ledger.withPending(null)); // the vendor answered: nothing was created
      StatusException problem = session.vendorFailure(e, connection);
      if (isFinal(e)) {
        remember(apiKey, problem);
      }
      throw problem;
    } finally {
      session.callDone(); // the answer is in: recording it holds no vendor-call slot
    }
    refusals.remove(apiKey.getMetadata().getUid());
    session.succeeded(permit);
    // A native rotation copies the old description: the in-place update that follows renames the new key.
    String settings = nativeRotation ? "" : desired.settings();
    LedgerKey key = new LedgerKey(keyName, minted.id(), minted.value(),
        minted.createdAt() == null ? Instant.now(clock) : minted.createdAt(), plan.identity(),
        desired.specIdentity(), settings, null, null, provider.ref());
    ledger = writes.recordCreated(apiKey, ledger, key, nativeRotation ? Duration.ZERO
        : LedgerWrites.gracePeriod(apiKey));
    String why = Messages.whyCreated(current, rotation, nativeRotation);
    LOG.info("Created key {} ({})", keyName, why);
    metrics.keyCreated(current != null);
    events.normal(apiKey, "Created", Messages.created(keyName, key.value().fingerprint(), why));
    return ledger;
  }

  private String newKeyName(ApiKey apiKey, Provider provider) {
    String base = apiKey.getSpec().keyName != null ? apiKey.getSpec().keyName
        : apiKey.getMetadata().getNamespace() + "-" + apiKey.getMetadata().getName();
    String prefix = provider.spec().keyNamePrefix == null ? "" : provider.spec().keyNamePrefix;
    StringBuilder suffix = new StringBuilder("-");
    for (int i = 0; i < 6; i++) {
      suffix.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
    }
    return fit(prefix + base, suffix.toString());
  }

  /**
   * {@code head + suffix}, with {@code head} cut so that the whole fits {@link #MAX_KEY_NAME_LENGTH} (FME refuses
   * longer names, docs/integrations/vendor-apis.md); the unique per-attempt suffix is always kept whole.
   */
  static String fit(String head, String suffix) {
    int room = MAX_KEY_NAME_LENGTH - suffix.length();
    return (head.length() > room ? head.substring(0, room) : head) + suffix;
  }

  /** A refusal that the same request would get again: a 4xx other than 401, 403, 408 and 429, an unknown id. */
  private static boolean isFinal(VendorException e) {
    return e instanceof NameNotFoundException || e instanceof VendorErrorException v && v.permanent();
  }

  private void remember(ApiKey apiKey, StatusException problem) {
    if (refusals.size() > 10_000) {
      refusals.clear(); // a bound, not a cache: forgetting only costs one more refused call each
    }
    Long generation = apiKey.getMetadata().getGeneration();
    refusals.put(apiKey.getMetadata().getUid(), new Refusal(generation == null ? 0 : generation,
        Instant.now(clock).plus(problem.retryAfter() == null ? LOOK_AGAIN : problem.retryAfter()), problem));
  }

  /** The vendor refused the create of this generation of the spec; held until {@code until}. */
  private record Refusal(long generation, Instant until, StatusException problem) {
    boolean stillHolds(ApiKey apiKey, Instant now) {
      Long g = apiKey.getMetadata().getGeneration();
      return (g == null ? 0 : g) == generation && now.isBefore(until);
    }
  }

  private void checkSecretIsOurs(ApiKey apiKey) throws StatusException {
    try {
      secretWriter.checkWritable(apiKey);
    } catch (SecretConflictException e) {
      throw new StatusException(Reason.SecretConflict, e.getMessage(), LOOK_AGAIN);
    }
  }
}
