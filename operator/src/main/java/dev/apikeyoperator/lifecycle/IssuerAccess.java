package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.pacing.Pacing;
import dev.apikeyoperator.pacing.Throttle;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.provider.ProviderProblem;
import dev.apikeyoperator.provider.VendorConnections;

/**
 * How the lifecycle reaches a provider's vendor ({@link VendorConnections} in the operator; in unit tests, a fake
 * issuer behind a real pace and real call slots). None of the calls here block: a throttle or slot that says
 * "wait" ends the reconcile, which comes back.
 */
public interface IssuerAccess {
  /** The issuer for the provider, with its credential read (or reused for a moment). */
  VendorConnections.Connection connect(Provider provider) throws ProviderProblem;

  /** The provider's pace. */
  Throttle throttle(Provider provider);

  /** The namespaces' vendor-call slots and the providers' paces. */
  Pacing pacing();

  /** The vendor refused the connection's credential. */
  void refused(VendorConnections.Connection connection);

  /** Whether the provider's credential changed since the connection read it. */
  boolean rotatedSince(VendorConnections.Connection connection, Provider provider);

  static IssuerAccess of(VendorConnections connections) {
    return new IssuerAccess() {
      public VendorConnections.Connection connect(Provider provider) throws ProviderProblem {
        return connections.connect(provider);
      }

      public Throttle throttle(Provider provider) {
        return connections.throttle(provider);
      }

      public Pacing pacing() {
        return connections.pacing();
      }

      public void refused(VendorConnections.Connection connection) {
        connections.refused(connection);
      }

      public boolean rotatedSince(VendorConnections.Connection connection, Provider provider) {
        return connections.rotatedSince(connection, provider);
      }
    };
  }
}
