package dev.apikeyoperator;

import java.time.Duration;

/**
 * Leader election through a Lease in the operator's namespace: only the leader reconciles; the others keep their
 * caches warm and take over when the Lease expires.
 *
 * @param leaseNamespace where the Lease lives (OPERATOR_NAMESPACE)
 * @param identity this instance's name in the Lease (the pod name)
 * @param leaseDuration how long a Lease outlives its holder's last renewal
 * @param exitOnStopLeading exit the process when leadership is lost (production: a new pod starts clean)
 */
public record LeaderElection(String leaseNamespace, String identity, Duration leaseDuration,
    boolean exitOnStopLeading) {
  public static final String LEASE_NAME = "apikey-operator-leader";
}
