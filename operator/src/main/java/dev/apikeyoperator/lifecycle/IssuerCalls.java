package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.issuer.NameNotFoundException;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorException;
import dev.apikeyoperator.transport.VendorRateLimitedException;
import dev.apikeyoperator.transport.VendorUnauthorizedException;
import dev.apikeyoperator.pacing.Pacing;
import dev.apikeyoperator.pacing.Slot;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.provider.ProviderProblem;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.status.Reason;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Optional;

/**
 * The one way the lifecycle calls a vendor: pace (the provider's throttle), connect (once per reconcile), call, map
 * a failure to what the ApiKey reports, and tell the throttle how it went. What happens after a success (event,
 * ledger write) is the caller's.
 */
final class IssuerCalls {
  static final Duration LOOK_AGAIN = Duration.ofSeconds(60);
  /** After the vendor refused a credential the Secret no longer holds: how soon the one it holds now is tried. */
  static final Duration REFUSED_ROTATED_CREDENTIAL = Duration.ofSeconds(1);

  /** A vendor call made with a connection. */
  interface Call<T> {
    T run(VendorConnections.Connection connection) throws StatusException;
  }

  /** Maps a vendor failure to the problem to report. */
  interface OnFailure {
    StatusException map(VendorException e, VendorConnections.Connection connection);
  }

  /** How long a first 429 without Retry-After holds the provider's calls back; each one more in a row, twice that. */
  static final Duration RATE_LIMITED_HOLD = Duration.ofSeconds(2);
  private static final Duration MAX_RATE_LIMITED_HOLD = Duration.ofMinutes(5);

  private final IssuerAccess connections;

  IssuerCalls(IssuerAccess connections) {
    this.connections = connections;
  }

  /** Waits, in turn, for a slot of its namespace: woken when one is given back (docs/concepts/guarantees.md 7). */
  Duration awaitSlot(ApiKey apiKey, SlotsTaken busy) {
    return connections.pacing().awaitSlot(busy.tenant(), ResourceID.fromResource(apiKey));
  }

  /** One reconcile of one ApiKey: connects to its provider's vendor at most once. Close it when the reconcile ends. */
  Session session(ApiKey apiKey) {
    return new Session(apiKey);
  }

  /**
   * One reconcile's calls. Each vendor call holds one of its namespace's call slots (docs/concepts/guarantees.md 7); a
   * reconcile that needs no vendor takes none, and the Kubernetes reads and writes around a call hold none.
   */
  final class Session implements AutoCloseable {
    private final ApiKey apiKey;
    private VendorConnections.Connection connection;
    private Provider connectedTo;
    private Slot slot;

    private Session(ApiKey apiKey) {
      this.apiKey = apiKey;
    }

    /**
     * Takes one of the namespace's call slots (docs/concepts/guarantees.md 7) right before a vendor call, or ends the
     * reconcile as {@link SlotsTaken}: always before an intent to create is written, never between it and the call.
     */
    void takeSlot() {
      if (slot == null) {
        String tenant = Pacing.tenantOf(apiKey);
        slot = connections.pacing().trySlot(tenant).orElseThrow(() -> new SlotsTaken(tenant));
      }
    }

    /**
     * A vendor call returned: its slot is given back, so that the Kubernetes writes that follow hold none (the next
     * vendor call of this reconcile takes one again).
     */
    void callDone() {
      if (slot != null) {
        slot.close();
        slot = null;
      }
    }

    @Override
    public void close() {
      callDone();
      connections.pacing().wakeWaiters(Pacing.tenantOf(apiKey),
          ResourceID.fromResource(apiKey));
    }

    /**
     * Paces, connects and runs {@code call}. {@code waitMessage}: what the ApiKey reports while the throttle holds
     * the call back; {@code connectReason}: its reason when the provider cannot be used.
     */
    <T> T call(Provider provider, String waitMessage, Reason connectReason, Call<T> call, OnFailure onFailure)
        throws StatusException {
      VendorConnections.Connection c = connect(provider, connectReason);
      Slot.Turn.Permit permit = pace(provider, waitMessage);
      T result;
      try {
        result = call.run(c);
      } catch (VendorException e) {
        throw onFailure.map(e, c);
      } finally {
        callDone();
      }
      succeeded(permit);
      return result;
    }

    /**
     * Ends the reconcile as RateLimited when the provider's pace has this key wait (a permit is booked for it, and
     * it comes back then); returns when it may call now. Made before the reads that prepare a call, so that a key
     * that waits its turn reads nothing, and before a slot is taken (the slots are for calls, not for waits).
     */
    void awaitTurn(Provider provider, String waitMessage) throws StatusException {
      Optional<Duration> booked = connections.throttle(provider).book(apiKey.getMetadata().getNamespace(),
          apiKey.getMetadata().getUid());
      if (booked.isPresent()) {
        throw new StatusException(Reason.RateLimited, waitMessage, booked.get());
      }
    }

    /**
     * Takes one of the namespace's call slots, then a permit from the provider's throttle, or ends the reconcile:
     * as {@link SlotsTaken} (no permit taken), or as RateLimited with the slot given back. In that order, so that a
     * permit is never taken by a call that then finds no slot (a permit lost is a turn of the vendor's pace lost).
     */
    Slot.Turn.Permit pace(Provider provider, String waitMessage) throws StatusException {
      takeSlot();
      Slot.Turn turn = slot.permit(connections.throttle(provider), apiKey.getMetadata().getNamespace(),
          apiKey.getMetadata().getUid());
      if (turn instanceof Slot.Turn.Wait wait) {
        callDone();
        throw new StatusException(Reason.RateLimited, waitMessage, wait.duration());
      }
      return (Slot.Turn.Permit) turn;
    }

    /**
     * Connects to revoke {@code keyName}: a provider that cannot be used (its credentials Secret gone, say) is
     * RevocationFailed naming the key, so that no key is left unrevoked silently.
     */
    VendorConnections.Connection connectToRevoke(Provider provider, String keyName) throws StatusException {
      try {
        return connect(provider, null);
      } catch (StatusException e) {
        throw new StatusException(Reason.RevocationFailed, Messages.cannotRevoke(keyName, e.getMessage()),
            e.retryAfter());
      }
    }

    /** Connects to the provider's vendor once per reconcile: the credentials Secret is read once. */
    VendorConnections.Connection connect(Provider provider, Reason reason) throws StatusException {
      if (connection != null && connectedTo != null && java.util.Objects.equals(provider.uid(), connectedTo.uid())) {
        return connection;
      }
      try {
        connection = connections.connect(provider);
        connectedTo = provider;
        return connection;
      } catch (ProviderProblem p) {
        String message = reason == Reason.RevocationFailed ? Messages.cannotRevoke(null, p.getMessage())
            : p.getMessage();
        throw new StatusException(reason == null ? Reason.ProviderNotReady : reason, message, LOOK_AGAIN);
      }
    }

    /** Maps a vendor failure that happened before anything was created. */
    StatusException vendorFailure(VendorException e, VendorConnections.Connection c) {
      if (e instanceof VendorUnauthorizedException) {
        connections.refused(c);
        // A reused read may be of a credential rotated (and the old one revoked) since: if so, soon again.
        boolean rotated = connectedTo != null && connections.rotatedSince(c, connectedTo);
        return new StatusException(Reason.VendorUnauthorized, e.getMessage(),
            rotated ? REFUSED_ROTATED_CREDENTIAL : LOOK_AGAIN);
      }
      if (e instanceof VendorRateLimitedException r) {
        if (r.retryAfter() == null) {
          c.throttle().blockUnexplained(RATE_LIMITED_HOLD, MAX_RATE_LIMITED_HOLD);
          return StatusException.transientFailure(Reason.RateLimited, Messages.vendorRateLimited());
        }
        c.throttle().blockFor(r.retryAfter());
        return new StatusException(Reason.RateLimited, Messages.vendorRateLimited(r.retryAfter()), r.retryAfter());
      }
      if (e instanceof NameNotFoundException n) { // an id the vendor refused at create
        return new StatusException("environment".equals(n.kind()) ? Reason.EnvironmentNotFound
            : Reason.ProjectNotFound, e.getMessage(), LOOK_AGAIN);
      }
      if (e instanceof VendorErrorException v && v.permanent()) {
        return new StatusException(Reason.VendorError, e.getMessage(), LOOK_AGAIN);
      }
      return StatusException.transientFailure(Reason.VendorError, Messages.retrying(e.getMessage()));
    }

    /** A vendor call went through: the throttle learns it (and a run of unexplained 429s ends). */
    void succeeded(Slot.Turn.Permit permit) {
      permit.succeeded();
    }

    /** The wait the vendor asked for (Retry-After), if it did. */
    static Optional<Duration> retryAfter(VendorException e) {
      return e instanceof VendorRateLimitedException r ? Optional.ofNullable(r.retryAfter()) : Optional.empty();
    }
  }
}
