package dev.apikeyoperator.ops;

import dev.apikeyoperator.customresource.ApiKeyProvider;
import dev.apikeyoperator.customresource.ClusterApiKeyProvider;
import dev.apikeyoperator.customresource.ProviderStatus;
import dev.apikeyoperator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import java.util.Map;

/**
 * JOSDK's metrics, plus the Ready condition of every provider as it is when a reconcile of it starts (providers
 * are reconciled at least every minute, so the figure is at most that old); a deleted provider is forgotten. This
 * way provider readiness needs no code in the provider reconciler. Only the leader reconciles, so only the
 * leader reports providers.
 */
final class ProviderReadiness implements Metrics {
  private final OperatorMetrics metrics;
  private final Metrics delegate;

  ProviderReadiness(OperatorMetrics metrics, Metrics delegate) {
    this.metrics = metrics;
    this.delegate = delegate;
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

  // Everything else goes to JOSDK's metrics unchanged.

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    delegate.controllerRegistered(controller);
  }

  @Override
  public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    delegate.failedReconciliation(resource, exception, metadata);
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionStarted(resource, metadata);
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionFinished(resource, metadata);
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    delegate.cleanupDoneFor(resourceID, metadata);
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    delegate.finishedReconciliation(resource, metadata);
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    return delegate.timeControllerExecution(execution);
  }

  @Override
  public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
    return delegate.monitorSizeOf(map, name);
  }
}
