package dev.apikeyoperator.ops;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * JOSDK's metrics with a trace span around every reconcile and cleanup (JOSDK runs them inside
 * {@link #timeControllerExecution}, on the reconcile thread, so vendor-call spans become its children). Everything else
 * goes to the wrapped metrics unchanged.
 */
final class TracingMetrics implements Metrics {
  private final Tracing tracing;
  private final Metrics delegate;

  TracingMetrics(Tracing tracing, Metrics delegate) {
    this.tracing = tracing;
    this.delegate = delegate;
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    ResourceID id = execution.resourceID();
    Exception[] failure = new Exception[1];
    T result = tracing.reconcile(execution.controllerName() + " " + execution.name(),
        id.getNamespace().orElse(null), id.getName(), () -> {
          try {
            return delegate.timeControllerExecution(execution);
          } catch (Exception e) {
            failure[0] = e;
            return null;
          }
        }, r -> failure[0] != null ? failure[0].getClass().getSimpleName() : execution.successTypeName(r));
    if (failure[0] != null) {
      throw failure[0];
    }
    return result;
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    delegate.controllerRegistered(controller);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    delegate.receivedEvent(event, metadata);
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    delegate.reconcileCustomResource(resource, retryInfo, metadata);
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
  public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
    return delegate.monitorSizeOf(map, name);
  }
}
