package dev.apikeyoperator.ops;

import dev.apikeyoperator.customresource.ApiKeyProvider;
import dev.apikeyoperator.customresource.ClusterApiKeyProvider;
import dev.apikeyoperator.customresource.ProviderStatus;
import dev.apikeyoperator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import java.util.Map;

/**
 * JOSDK's metrics, plus the Ready condition of every provider as it is when a reconcile of it starts (providers
 * are reconciled at least every minute, so the figure is at most that old); a deleted provider is forgotten. This
 * way provider readiness needs no code in the provider reconciler. Only the leader reconciles, so only the
 * leader reports providers.
 */
final class ProviderReadiness extends ForwardingMetrics {
  private final OperatorMetrics metrics;

  ProviderReadiness(OperatorMetrics metrics, Metrics delegate) {
    super(delegate);
    this.metrics = metrics;
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    ProviderStatus status = statusOf(resource);
    if (status != null) {
      Conditions.find(status.conditions, Conditions.READY).ifPresent(c -> metrics.provider(
          resource.getMetadata().getUid(),
          new OperatorMetrics.ProviderState("True".equals(c.getStatus()), String.valueOf(c.getReason()))));
    }
    delegate.reconcileCustomResource(resource, retryInfo, metadata);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    if (event instanceof ResourceEvent e && e.getAction() == ResourceAction.DELETED) {
      e.getResource().filter(r -> r instanceof ApiKeyProvider || r instanceof ClusterApiKeyProvider)
          .ifPresent(r -> metrics.provider(r.getMetadata().getUid(), null));
    }
    delegate.receivedEvent(event, metadata);
  }

  private static ProviderStatus statusOf(HasMetadata resource) {
    if (resource instanceof ApiKeyProvider p) {
      return p.getStatus();
    }
    if (resource instanceof ClusterApiKeyProvider p) {
      return p.getStatus();
    }
    return null;
  }
}
