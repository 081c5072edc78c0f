package dev.apikeyoperator;

import dev.apikeyoperator.provider.Endpoints;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What the operator needs to know to run, whatever started it (the command line, a test, the sandbox).
 *
 * @param watchNamespaces namespaces to watch; empty = all
 * @param vendorConnectTimeout connect timeout of vendor calls
 * @param vendorReadTimeout read timeout of vendor calls
 * @param providerRecheckInterval how often a provider's credentials are checked again
 * @param directoryTtl how long project and environment ids are cached per provider
 * @param clock the clock (tests move it)
 * @param leaderElection leader election, when enabled
 * @param vendorHosts the hosts a namespaced provider may call besides loopback (docs/reference/settings.md:
 *     VENDOR_HOSTS)
 * @param vendorCallDeadline the longest one vendor call may take, whatever the server does (VENDOR_CALL_DEADLINE)
 * @param reconcilesPerNamespace how many reconciles of one namespace may be at work at once
 *     (RECONCILES_PER_NAMESPACE)
 */
public record OperatorSettings(Set<String> watchNamespaces, Duration vendorConnectTimeout,
    Duration vendorReadTimeout, Duration providerRecheckInterval, Duration directoryTtl, Clock clock,
    Optional<LeaderElection> leaderElection, Set<String> vendorHosts, Duration vendorCallDeadline,
    int reconcilesPerNamespace) {

  public OperatorSettings(Set<String> watchNamespaces, Duration vendorConnectTimeout, Duration vendorReadTimeout,
      Duration providerRecheckInterval, Duration directoryTtl, Clock clock) {
    this(watchNamespaces, vendorConnectTimeout, vendorReadTimeout, providerRecheckInterval, directoryTtl, clock,
        Optional.empty(), Endpoints.DEFAULT_VENDOR_HOSTS, Duration.ofSeconds(30), 4);
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(Set.of(), Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMinutes(10),
        Duration.ofMinutes(10), Clock.systemUTC());
  }

  public OperatorSettings withWatchNamespaces(Set<String> namespaces) {
    return new OperatorSettings(namespaces, vendorConnectTimeout, vendorReadTimeout, providerRecheckInterval,
        directoryTtl, clock, leaderElection, vendorHosts, vendorCallDeadline,
        reconcilesPerNamespace);
  }

  public OperatorSettings withVendorReadTimeout(Duration timeout) {
    return new OperatorSettings(watchNamespaces, vendorConnectTimeout, timeout, providerRecheckInterval,
        directoryTtl, clock, leaderElection, vendorHosts, vendorCallDeadline,
        reconcilesPerNamespace);
  }

  public OperatorSettings withProviderRecheckInterval(Duration interval) {
    return new OperatorSettings(watchNamespaces, vendorConnectTimeout, vendorReadTimeout, interval, directoryTtl,
        clock, leaderElection, vendorHosts, vendorCallDeadline,
        reconcilesPerNamespace);
  }

  public OperatorSettings withVendorHosts(Set<String> hosts) {
    return new OperatorSettings(watchNamespaces, vendorConnectTimeout, vendorReadTimeout, providerRecheckInterval,
        directoryTtl, clock, leaderElection, Set.copyOf(hosts),
        vendorCallDeadline, reconcilesPerNamespace);
  }

  public OperatorSettings withVendorCallDeadline(Duration deadline) {
    return new OperatorSettings(watchNamespaces, vendorConnectTimeout, vendorReadTimeout, providerRecheckInterval,
        directoryTtl, clock, leaderElection, vendorHosts, deadline, reconcilesPerNamespace);
  }

  public OperatorSettings withReconcilesPerNamespace(int count) {
    return new OperatorSettings(watchNamespaces, vendorConnectTimeout, vendorReadTimeout, providerRecheckInterval,
        directoryTtl, clock, leaderElection, vendorHosts, vendorCallDeadline, count);
  }

  public OperatorSettings withLeaderElection(LeaderElection election) {
    return new OperatorSettings(watchNamespaces, vendorConnectTimeout, vendorReadTimeout, providerRecheckInterval,
        directoryTtl, clock, Optional.ofNullable(election), vendorHosts,
        vendorCallDeadline, reconcilesPerNamespace);
  }
}
