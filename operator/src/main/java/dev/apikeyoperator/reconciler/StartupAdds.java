package dev.apikeyoperator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnAddFilter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * At start-up every informer lists what exists, and each object listed would wake the ApiKeys it maps to: the
 * mounted Secret, the ledger, the Namespace and the provider of every key, each time for all of them, on top of
 * each ApiKey's own first reconcile, which reads them all from the caches anyway. An object that existed well before
 * this process started wakes nobody when it is listed; one created since (or with no creation time) does.
 */
final class StartupAdds {
  /** Room for a clock of the API server that is behind this one. */
  private static final Duration MARGIN = Duration.ofMinutes(1);

  private StartupAdds() {}

  /** Creation times are the API server's wall clock, so this is too (not the operator's settable clock). */
  static <R extends HasMetadata> OnAddFilter<R> onlyNewerThanStart() {
    Instant before = Instant.now().minus(MARGIN);
    return resource -> createdAfter(resource, before);
  }

  static boolean createdAfter(HasMetadata resource, Instant instant) {
    String created = resource.getMetadata() == null ? null : resource.getMetadata().getCreationTimestamp();
    if (created == null) {
      return true;
    }
    try {
      return Instant.parse(created).isAfter(instant);
    } catch (DateTimeParseException e) {
      return true;
    }
  }
}
