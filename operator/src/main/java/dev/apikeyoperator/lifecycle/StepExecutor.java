package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.DeletionPolicy;
import dev.apikeyoperator.status.EventRecorder;
import dev.apikeyoperator.ledger.LedgerStore;
import dev.apikeyoperator.secret.SecretWriter;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.ledger.Ledger;
import dev.apikeyoperator.ledger.LedgerInvalidException;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.ledger.LedgerStore;
import dev.apikeyoperator.ops.OperatorMetrics;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.provider.Providers;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.secret.SecretConflictException;
import dev.apikeyoperator.secret.SecretTemplates;
import dev.apikeyoperator.secret.SecretTooLargeException;
import dev.apikeyoperator.secret.SecretWriter;
import dev.apikeyoperator.status.KeyOutcome;
import dev.apikeyoperator.status.Reason;
import dev.apikeyoperator.validation.SpecValidator;
import dev.apikeyoperator.workload.Consumers;
import dev.apikeyoperator.workload.KeyUse;
import dev.apikeyoperator.workload.RolloutRestarter;
import dev.apikeyoperator.workload.WorkloadsNotRead;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile (or cleanup) of an ApiKey: observe, decide ({@link KeyDecision#decide}), act, and report one
 * {@link KeyOutcome}. Each step's outcome is recorded in the ledger before the next decision. Crash safety rests on
 * the {@link Ledger}: the intent to create a key is written (with optimistic locking) before the vendor call, and the
 * created key, with its revocation handle, right after. An intent without an outcome is reported as
 * {@code CreationIndeterminate}, never retried silently. Knows no vendor by name.
 */
public final class StepExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(StepExecutor.class);
  private static final Duration LOOK_AGAIN = IssuerCalls.LOOK_AGAIN;
  /** More steps than any pass needs: a decision that does not move on is a bug, not a reason to spin. */
  private static final int MAX_STEPS = 64;
  private final KubernetesClient client;
  private final EventSink events;
  private final RolloutRestarter restarter;
  private final KeyUse keyUse;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final IssuerCalls calls;
  private final KeptState ledgers;
  private final LedgerWrites writes;
  private final PendingCreations pendings;
  private final KeyMinter minter;
  private final ManagedSecret secretWriter;
  private final Providers providers;
  private final Function<String, Optional<Namespace>> namespaces;
  private final KeyReadBack readBacks;
  private final KeyRevocations revocations;
  private final KeyServing serving;

  public StepExecutor(KubernetesClient client, VendorConnections connections, EventRecorder recorder,
      OperatorMetrics metrics, Clock clock, LedgerStore ledgers, SecretWriter secretWriter, Providers providers,
      Function<String, Optional<Namespace>> namespaces, Consumers consumers) {
    this(client, IssuerAccess.of(connections), EventSink.of(recorder), metrics, clock, KeptState.of(ledgers),
        ManagedSecret.of(secretWriter), providers, namespaces, new RolloutRestarter(client, recorder, metrics,
            consumers), new KeyUse(consumers, recorder));
  }

  StepExecutor(KubernetesClient client, IssuerAccess connections, EventSink events, OperatorMetrics metrics,
      Clock clock, KeptState ledgers, ManagedSecret secretWriter, Providers providers,
      Function<String, Optional<Namespace>> namespaces, RolloutRestarter restarter, KeyUse keyUse) {
    this.client = client;
    this.events = events;
    this.restarter = restarter;
    this.keyUse = keyUse;
    this.clock = clock;
    this.calls = new IssuerCalls(connections);
    this.ledgers = ledgers;
    this.writes = new LedgerWrites(ledgers, clock);
    this.pendings = new PendingCreations(ledgers, writes, events);
    this.minter = new KeyMinter(ledgers, writes, pendings, secretWriter, events, metrics, clock);
    this.secretWriter = secretWriter;
    this.providers = providers;
    this.namespaces = namespaces;
    this.readBacks = new KeyReadBack(ledgers, events, clock, random);
    this.revocations = new KeyRevocations(providers, keyUse, metrics, events, ledgers);
    this.serving = new KeyServing(ledgers, secretWriter);
  }

  /** The ApiKey is gone: forget what is kept in memory about it. */
  public void forget(String uid) {
    writes.forget(uid);
    readBacks.forget(uid);
    minter.forget(uid);
  }

  // ---------------------------------------------------------------------------------------------- reconcile

  /** Brings the vendor key and the Secret to the spec: observe, then decide and act until a report or a stop. */
  public KeyOutcome converge(ApiKey apiKey) {
    String secretName = null;
    try (IssuerCalls.Session session = calls.session(apiKey)) {
      KeyDecision.unknownFieldsToWarnOf(apiKey)
          .ifPresent(unknown -> events.warning(apiKey, "UnknownFields", Messages.unknownFields(unknown)));
      Observation seen = observe(apiKey);
      KeyDecision.Progress progress = KeyDecision.Progress.NONE;
      for (int i = 0; i < MAX_STEPS; i++) {
        KeyDecision.Decision decision = KeyDecision.decide(seen, progress);
        if (secretName == null && seen.provider().isPresent() && seen.ledger() != null
            && KeyDecision.evaluate(KeyDecision.BEFORE_ANY_CALL, seen).isEmpty()) {
          secretName = ManagedSecrets.secretName(apiKey);
        }
        if (decision instanceof KeyDecision.Stop stop) {
          return notApplied(apiKey, stop.reason(), stop.message(), stop.lookAgain(), secretName);
        }
        Ledger ledger = seen.ledger();
        Provider provider = seen.provider().orElse(null);
        Step step = (Step) decision;
        if (!(step instanceof Step.DiscardLedger || step instanceof Step.SettlePending)) {
          // A lost ledger is looked for once, before the first step that acts on the key: one this pass emptied
          // itself (a dead key dropped) is not lost.
          progress = progress.afterRecovery();
        }
        if (step instanceof Step.ReportReady) {
          return ready(apiKey, ledger, provider, seen.desired(), secretName, "", null);
        } else if (step instanceof Step.HoldRevocation held) {
          // docs/guides/consumers.md: woken by the workloads' rollout, or looked at again
          return ready(apiKey, ledger, provider, seen.desired(), secretName, held.why(), KeyUse.RECHECK);
        } else if (step instanceof Step.ReportRevokedExternally s) {
          return notApplied(apiKey, Reason.KeyRevokedExternally,
              Messages.revokedExternally(s.key().name(), ManagedSecrets.secretName(apiKey)), null, secretName);
        } else if (step instanceof Step.DiscardLedger d) {
          LedgerRecovery.discard(apiKey, d.resourceVersion(), seen.ledgerInvalid().secretName(), ledgers, events);
          seen = observe(apiKey);
          if (seen.ledgerInvalid() != null) { // the cache still shows the discarded one: the next pass sees it gone
            return notApplied(apiKey, Reason.Provisioning, Messages.stateDiscarded(seen.ledgerInvalid().secretName()),
                Duration.ofSeconds(1), secretName);
          }
          continue;
        } else if (step instanceof Step.SettlePending) {
          PendingCreations.Settled settled = pendings.settle(apiKey, ledger, seen.provider(), session);
          if (settled.problem() != null) {
            return keepServing(apiKey, settled.ledger(), seen.provider(), settled.problem(), session);
          }
          ledger = settled.ledger();
        } else if (step instanceof Step.RecoverLedger) {
          ledger = LedgerRecovery.recover(apiKey, ledger, ledgers, secretWriter, events);
          progress = progress.afterRecovery();
        } else if (step instanceof Step.Adopt) {
          ledger = KeyAdoption.adopt(apiKey, ledger, seen.desired(), client, ledgers, events, clock, provider,
              session);
        } else if (step instanceof Step.ReadBack) {
          ledger = readBacks.readBack(apiKey, ledger, provider, session);
        } else if (step instanceof Step.DropRevoked) {
          ledger = ledgers.write(apiKey, ledger.without(ledger.current()).withRevokedExternally(null));
        } else if (step instanceof Step.Mint s) {
          ledger = minter.mint(apiKey, ledger, provider, seen.desired(), s.rotation(), session);
          progress = progress.afterMint();
        } else if (step instanceof Step.UpdateInPlace) {
          ledger = updateInPlace(apiKey, ledger, provider, seen.desired(), session);
          progress = progress.afterUpdate();
        } else if (step instanceof Step.WriteSecret) {
          ensureSecret(apiKey, ledger.current());
          progress = progress.afterSecret();
        } else if (step instanceof Step.RollOut) {
          ledger = rollOut(apiKey, ledger);
        } else if (step instanceof Step.Expire s) {
          ledger = revocations.expire(apiKey, ledger, provider, s.key(), session);
        } else if (step instanceof Step.Revoke s) {
          ledger = revocations.revoke(apiKey, ledger, seen.provider(), s.key(), false, session);
        }
        seen = reobserve(apiKey, seen, ledger);
      }
      throw new IllegalStateException("the key lifecycle did not settle in " + MAX_STEPS + " steps");
    } catch (StatusException e) {
      return notApplied(apiKey, e, secretName);
    } catch (LedgerInvalidException e) { // read fresh after the cached copy verified
      KeyDecision.Stop stop = KeyDecision.stateInvalid(apiKey, e.getMessage(), e.resourceVersion());
      return notApplied(apiKey, stop.reason(), stop.message(), stop.lookAgain(), secretName);
    } catch (SlotsTaken busy) {
      return new KeyOutcome.Deferred(calls.awaitSlot(apiKey, busy));
    } catch (WorkloadsNotRead notYet) {
      return new KeyOutcome.Deferred(WorkloadsNotRead.LOOK_AGAIN);
    }
  }

  /** Everything the decision needs that takes I/O (caches, mostly) to learn. */
  private Observation observe(ApiKey apiKey) {
    // A spec that does not validate is reported as such: nothing is read on its behalf (it may name no provider).
    boolean valid = SpecValidator.validate(apiKey).isEmpty();
    Optional<Provider> provider = valid ? providers.find(apiKey) : Optional.empty();
    Ledger ledger = Ledger.EMPTY;
    Observation.InvalidLedger invalid = null;
    try {
      ledger = valid ? writes.recordUnrecorded(apiKey, ledgers.cached(apiKey)) : Ledger.EMPTY;
    } catch (LedgerInvalidException e) {
      ledger = null;
      LOG.warn("Acting on nothing from the key ledger: {}", e.getMessage());
      invalid = new Observation.InvalidLedger(e.secretName(), e.resourceVersion(), e.getMessage());
    }
    Desired desired = null;
    Capabilities can = null;
    if (provider.isPresent() && provider.get().vendor().map(v -> v == Vendors.of(apiKey.getSpec())).orElse(true)) {
      // A provider that names no vendor fails at connect (ProviderNotReady), as any unusable provider does.
      Vendor vendor = provider.get().vendor().orElseGet(() -> Vendors.of(apiKey.getSpec()));
      desired = Desired.of(apiKey, vendor, provider.get());
      can = vendor.capabilities();
    }
    Instant now = Instant.now(clock);
    Observation seen = new Observation(apiKey, provider, namespaces.apply(apiKey.getMetadata().getNamespace())
        .orElse(null), ledger, invalid, desired, can, null, Optional.empty(), minter.refusal(apiKey, now), now);
    return ledger == null ? seen : reobserve(apiKey, seen, ledger);
  }

  /** What changes with the ledger: the read-back time and whether a due revocation is held back. */
  private Observation reobserve(ApiKey apiKey, Observation seen, Ledger ledger) {
    Instant now = Instant.now(clock);
    Instant readBackDue = seen.provider().map(p -> readBacks.due(apiKey, p, ledger)).orElse(null);
    Optional<String> held = seen.provider().isEmpty() || KeyDecision.dueRevocations(ledger, now).isEmpty()
        ? Optional.empty() : keyUse.revocationHeld(apiKey, ledger.current());
    return seen.after(ledger, readBackDue, held, now);
  }

  /** The key is in place: its outcome ({@link KeyStatuses#ready}) with the next read-back. */
  private KeyOutcome ready(ApiKey apiKey, Ledger ledger, Provider provider, Desired desired, String secretName,
      String held, Duration heldRecheck) {
    return KeyStatuses.ready(apiKey, ledger, desired, secretName, held, heldRecheck,
        readBacks.next(apiKey, provider), Instant.now(clock));
  }

  private KeyOutcome notApplied(ApiKey apiKey, StatusException e, String secretName) {
    return notApplied(apiKey, e.reason(), e.getMessage(), e.retryAfter(), secretName, e.transientFailure());
  }

  private KeyOutcome notApplied(ApiKey apiKey, Reason reason, String message, Duration lookAgain,
      String secretName) {
    return notApplied(apiKey, reason, message, lookAgain, secretName, false);
  }

  /**
   * The spec is not applied; Ready stays True while the Secret still holds a working key. {@code transientFailure}:
   * JOSDK's retry looks again.
   */
  private KeyOutcome notApplied(ApiKey apiKey, Reason reason, String message, Duration lookAgain,
      String secretName, boolean transientFailure) {
    String shownSecret = secretName != null ? secretName
        : apiKey.getStatus() != null && apiKey.getStatus().secretName != null ? apiKey.getStatus().secretName
        : ManagedSecrets.secretName(apiKey);
    return new KeyOutcome.NotApplied(reason, message, secretName,
        serving.served(apiKey, shownSecret).orElse(null), lookAgain, transientFailure);
  }

  /**
   * While a creation awaits a human (or a provider), the key that is known keeps being served: the Secret is
   * restored if deleted (guarantee 5), and replaced keys are still revoked when their grace period ends.
   */
  private KeyOutcome keepServing(ApiKey apiKey, Ledger ledger, Optional<Provider> provider,
      StatusException problem, IssuerCalls.Session session) {
    // A transient problem is looked at again within LOOK_AGAIN here: a revocation may be due before JOSDK's retry.
    Duration retry = problem.transientFailure() ? LOOK_AGAIN : problem.retryAfter();
    try {
      if (ledger.current() != null) {
        ensureSecret(apiKey, ledger.current());
      }
      if (provider.isPresent() && keyUse.revocationHeld(apiKey, ledger.current()).isEmpty()) {
        for (LedgerKey key : KeyDecision.dueRevocations(ledger, Instant.now(clock))) {
          ledger = revocations.revoke(apiKey, ledger, provider, key, false, session);
        }
      }
    } catch (StatusException | KubernetesClientException e) {
      retry = LOOK_AGAIN;
    }
    Optional<Instant> nextRevocation = KeyDecision.nextRevocation(ledger);
    if (nextRevocation.isPresent()) {
      Duration untilRevocation = KeyStatuses.clampPositive(Duration.between(Instant.now(clock), nextRevocation.get()));
      retry = retry == null || untilRevocation.compareTo(retry) < 0 ? untilRevocation : retry;
    }
    return notApplied(apiKey, problem.reason(), problem.getMessage(), retry, null);
  }

  /** Brings a live key's in-place settings (description, scopes, ...) to the spec: no new key. */
  Ledger updateInPlace(ApiKey apiKey, Ledger ledger, Provider provider, Desired desired,
      IssuerCalls.Session session) throws StatusException {
    LedgerKey current = ledger.current();
    session.call(provider, Messages.waitToUpdate(current.name()), Reason.ProviderNotReady, c -> {
      c.issuer().updateInPlace(current, apiKey.getSpec());
      return null;
    }, session::vendorFailure);
    LOG.info("Updated key {} in place", current.name());
    events.normal(apiKey, "Updated", Messages.updated(current.name()));
    return ledgers.write(apiKey, ledger.withCurrent(current.withSettings(desired.settings())));
  }

  /** Restarts the rollout targets once per key change (a first key needs no restart). */
  private Ledger rollOut(ApiKey apiKey, Ledger ledger) {
    String fingerprint = ledger.current().value().fingerprint();
    if (ledger.rolledOutFingerprint() != null) {
      restarter.restart(apiKey, fingerprint);
    }
    return ledgers.write(apiKey, ledger.withRolledOut(fingerprint));
  }

  private void ensureSecret(ApiKey apiKey, LedgerKey current) throws StatusException {
    try {
      Vendor vendor = Vendors.of(apiKey.getSpec());
      // serverUrl (what Unleash SDKs need beside the token) comes from the provider, when it is known
      String serverUrl = providers.find(apiKey).flatMap(p -> p.vendor().map(v -> v.serverUrl(p.spec())))
          .orElse(null);
      secretWriter.ensure(apiKey, new SecretTemplates.KeyFacts(current.value(), current.name(), current.id(),
          vendor.name(), vendor.clientSideId(current), serverUrl));
    } catch (SecretConflictException e) {
      throw new StatusException(Reason.SecretConflict, e.getMessage(), LOOK_AGAIN);
    } catch (SecretTooLargeException e) {
      throw new StatusException(Reason.InvalidSpec, e.getMessage(), null);
    }
  }

  // ------------------------------------------------------------------------------------------------ cleanup

  /** Revokes what the deletion policy says before the ApiKey goes; a problem keeps the finalizer and says why. */
  public KeyOutcome cleanUp(ApiKey apiKey) {
    try (IssuerCalls.Session session = calls.session(apiKey)) {
      if (KeyDecision.isPaused(apiKey)) {
        return notApplied(apiKey, Reason.Paused, Messages.deletionPaused(), null, null);
      }
      if (apiKey.getSpec() != null && !apiKey.getSpec().readProblems().isEmpty()) {
        Ledger ledger = writes.recordUnrecorded(apiKey, LedgerRecovery.freshVerified(apiKey, ledgers, events));
        if (!ledger.isEmpty()) {
          return notApplied(apiKey, Reason.InvalidSpec,
              Messages.deletionOfUnreadable(apiKey.getSpec().readProblems()), LOOK_AGAIN, null);
        }
        LedgerRecovery.checkKeptStateNotLost(apiKey, ledger);
        ledgers.release(apiKey);
        return new KeyOutcome.Released(); // nothing was created: nothing to revoke
      }
      Optional<Provider> found = providers.find(apiKey);
      Ledger ledger = writes.recordUnrecorded(apiKey, LedgerRecovery.freshVerified(apiKey, ledgers, events));
      if (found.isPresent() && apiKey.getSpec() != null && !ledger.isEmpty()) {
        // Only the vendor must match: revoking what was minted is never refused by a namespace or policy gate, so a
        // provider's narrowed policy or a namespace leaving its selector cannot leak keys on deletion.
        Optional<KeyDecision.Stop> other = KeyDecision.wrongVendor(apiKey, found.get(), ledger.current());
        if (other.isPresent()) {
          return notApplied(apiKey, other.get().reason(), other.get().message(), other.get().lookAgain(), null);
        }
      }
      PendingCreations.Settled settled = pendings.settle(apiKey, ledger, found, session);
      if (settled.problem() != null) {
        throw settled.problem();
      }
      ledger = settled.ledger();
      if (apiKey.getSpec() != null && ledger.resourceVersion() == null) { // missing, not discarded by a human
        ledger = LedgerRecovery.recover(apiKey, ledger, ledgers, secretWriter, events);
      }
      LedgerRecovery.checkKeptStateNotLost(apiKey, ledger);
      DeletionPolicy policy = apiKey.getSpec() == null ? DeletionPolicy.Delete
          : apiKey.getSpec().deletionPolicyOrDefault();
      for (KeyDecision.Retirement r : KeyDecision.onDeletion(ledger, policy)) {
        ledger = revocations.revoke(apiKey, ledger, found, r.key(), r.deactivate(), session);
      }
      if (policy == DeletionPolicy.Orphan && ledger.current() != null) {
        secretWriter.orphan(apiKey);
        LOG.info("Kept key {} at the vendor (deletionPolicy Orphan)", ledger.current().name());
      }
      ledgers.release(apiKey);
      return new KeyOutcome.Released();
    } catch (StatusException e) {
      return notApplied(apiKey, e, null);
    } catch (SlotsTaken busy) {
      return new KeyOutcome.Deferred(calls.awaitSlot(apiKey, busy));
    } catch (WorkloadsNotRead notYet) {
      return new KeyOutcome.Deferred(WorkloadsNotRead.LOOK_AGAIN);
    }
  }
}
