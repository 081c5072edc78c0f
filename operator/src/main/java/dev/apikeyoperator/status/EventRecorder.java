package dev.apikeyoperator.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes core/v1 Events about an object. An event that cannot be written is logged and never fails a reconcile. */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "apikey-operator";

  private final KubernetesClient client;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  public void warning(HasMetadata about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  /** Writes a Warning event and tells whether the API server stored it. */
  public boolean tryWarning(HasMetadata about, String reason, String message) {
    return record(about, "Warning", reason, message);
  }

  private boolean record(HasMetadata about, String type, String reason, String message) {
    String namespace = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    String name = about.getMetadata().getName() + "." + Long.toHexString(System.currentTimeMillis())
        + Long.toHexString(sequence.incrementAndGet());
    try {
      client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata().withName(name.toLowerCase(Locale.ROOT)).withNamespace(namespace).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(about.getApiVersion())
              .withKind(about.getKind())
              .withName(about.getMetadata().getName())
              .withNamespace(about.getMetadata().getNamespace())
              .withUid(about.getMetadata().getUid())
              .build())
          .withType(type)
          .withReason(reason)
          .withMessage(message)
          .withFirstTimestamp(now)
          .withLastTimestamp(now)
          .withCount(1)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT)
          .build()).create();
      return true;
    } catch (KubernetesClientException e) {
      LOG.warn("Could not record event {} on {}/{}: {}", reason, namespace, about.getMetadata().getName(),
          e.getMessage());
      return false;
    }
  }
}
