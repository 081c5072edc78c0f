package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.status.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** The Kubernetes events the lifecycle writes ({@link EventRecorder} in the operator, a list in unit tests). */
public interface EventSink {
  void normal(HasMetadata about, String reason, String message);

  void warning(HasMetadata about, String reason, String message);

  /** A Warning event, and whether it was written (the caller records that it was). */
  boolean tryWarning(HasMetadata about, String reason, String message);

  static EventSink of(EventRecorder recorder) {
    return new EventSink() {
      public void normal(HasMetadata about, String reason, String message) {
        recorder.normal(about, reason, message);
      }

      public void warning(HasMetadata about, String reason, String message) {
        recorder.warning(about, reason, message);
      }

      public boolean tryWarning(HasMetadata about, String reason, String message) {
        return recorder.tryWarning(about, reason, message);
      }
    };
  }
}
