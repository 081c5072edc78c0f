package dev.apikeyoperator.reconciler;

import dev.apikeyoperator.customresource.ApiKeyProvider;
import dev.apikeyoperator.customresource.ClusterApiKeyProvider;
import dev.apikeyoperator.customresource.ProviderRef;
import dev.apikeyoperator.customresource.ProviderSpec;
import dev.apikeyoperator.customresource.ProviderStatus;
import dev.apikeyoperator.provider.Provider;
import dev.apikeyoperator.provider.ProviderProblem;
import dev.apikeyoperator.provider.VendorConnections;
import dev.apikeyoperator.status.Conditions;
import dev.apikeyoperator.vendor.VendorException;
import dev.apikeyoperator.vendor.VendorUnauthorizedException;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;

/**
 * Reports whether a provider can be used: endpoint allowed, credentials Secret present, and a cheap credential
 * check at the vendor (one {@code GET /workspaces?limit=1}) when the provider changes and then periodically.
 */
public abstract class ProviderReconciler<P extends CustomResource<? extends ProviderSpec, ProviderStatus>>
    implements Reconciler<P> {
  private final VendorConnections connections;
  private final Clock clock;
  private final Duration recheckInterval;

  protected ProviderReconciler(VendorConnections connections, Clock clock, Duration recheckInterval) {
    this.connections = connections;
    this.clock = clock;
    this.recheckInterval = recheckInterval;
  }

  protected abstract Provider describe(P resource);

  @Override
  public UpdateControl<P> reconcile(P resource, Context<P> context) {
    Provider provider = describe(resource);
    String reason;
    String message;
    boolean ready = false;
    try {
      connections.connect(provider).fme().checkCredentials();
      ready = true;
      reason = "CredentialsValid";
      message = "The vendor accepted the credentials of " + provider.displayName();
    } catch (ProviderProblem p) {
      reason = p.reason();
      message = p.getMessage();
    } catch (VendorUnauthorizedException e) {
      reason = "CredentialsInvalid";
      message = e.getMessage();
    } catch (VendorException e) {
      reason = "VendorUnreachable";
      message = "Could not check the credentials: " + e.getMessage();
    }
    ProviderStatus status = new ProviderStatus();
    ProviderStatus old = resource.getStatus();
    status.conditions = old == null || old.conditions == null ? new ArrayList<>() : new ArrayList<>(old.conditions);
    status.conditions = Conditions.set(status.conditions, Conditions.READY, ready, reason, message,
        resource.getMetadata().getGeneration(), clock);
    status.observedGeneration = resource.getMetadata().getGeneration();
    UpdateControl<P> control;
    if (status.equals(old)) {
      control = UpdateControl.noUpdate();
    } else {
      resource.setStatus(status);
      control = UpdateControl.patchStatus(resource);
    }
    return control.rescheduleAfter(recheckInterval);
  }

  /** Namespaced providers. */
  @io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration(name = "apikeyprovider")
  public static final class Namespaced extends ProviderReconciler<ApiKeyProvider> {
    public Namespaced(VendorConnections connections, Clock clock, Duration recheckInterval) {
      super(connections, clock, recheckInterval);
    }

    @Override
    protected Provider describe(ApiKeyProvider p) {
      return new Provider(ProviderRef.Kind.ApiKeyProvider, p.getMetadata().getName(), p.getMetadata().getNamespace(),
          p.getMetadata().getUid(), p.getSpec(), p.getStatus());
    }
  }

  /** Cluster-scoped providers. */
  @io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration(name = "clusterapikeyprovider")
  public static final class Cluster extends ProviderReconciler<ClusterApiKeyProvider> {
    public Cluster(VendorConnections connections, Clock clock, Duration recheckInterval) {
      super(connections, clock, recheckInterval);
    }

    @Override
    protected Provider describe(ClusterApiKeyProvider p) {
      return new Provider(ProviderRef.Kind.ClusterApiKeyProvider, p.getMetadata().getName(), null,
          p.getMetadata().getUid(), p.getSpec(), p.getStatus());
    }
  }
}
