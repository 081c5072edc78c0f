package dev.apikeyoperator.ops;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * JOSDK's metrics with a trace span around every reconcile and cleanup (JOSDK runs them inside
 * {@link #timeControllerExecution}, on the reconcile thread, so vendor-call spans become its children). Everything else
 * goes to the wrapped metrics unchanged.
 */
final class TracingMetrics extends ForwardingMetrics {
  private final Tracing tracing;

  TracingMetrics(Tracing tracing, Metrics delegate) {
    super(delegate);
    this.tracing = tracing;
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
}
