package dev.apikeyoperator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.api.v1alpha1.KeyStatus;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ApiKey controller's update filter: what wakes a reconcile, with no memory of what was written. */
class ApiKeyUpdateFilterTest {
  private final ApiKeyReconciler reconciler = new ApiKeyReconciler(null, null, null, null, Clock.systemUTC(), null);

  private static ApiKey key(long generation, String fingerprint) {
    ApiKey k = new ApiKey();
    k.getMetadata().setUid("uid-1");
    k.getMetadata().setName("k");
    k.getMetadata().setNamespace("ns");
    k.getMetadata().setGeneration(generation);
    k.getMetadata().setResourceVersion("1");
    k.setStatus(new ApiKeyStatus());
    k.getStatus().secretName = "k";
    k.getStatus().key = new KeyStatus();
    k.getStatus().key.fingerprint = fingerprint;
    return k;
  }

  private static ApiKey copy(ApiKey k, String resourceVersion) {
    ApiKey c = key(k.getMetadata().getGeneration(), k.getStatus().key.fingerprint);
    c.getMetadata().setResourceVersion(resourceVersion);
    return c;
  }

  @Test
  void theOperatorsOwnStatusWriteWakesNoReconcile() {
    ApiKey before = key(1, null);
    ApiKey after = key(1, "sha256:aaaa");
    assertThat(reconciler.worthReconciling(copy(after, "2"), before)).isFalse();
  }

  @Test
  void aStatusWrittenBySomebodyElseWakesNoReconcileEither() {
    ApiKey ours = key(1, "sha256:aaaa");
    assertThat(reconciler.worthReconciling(key(1, "sha256:forged"), ours)).isFalse();
  }

  @Test
  void specAnnotationsLabelsFinalizersOwnersAndDeletionAlwaysWakeTheKey() {
    ApiKey ours = key(1, "sha256:aaaa");
    assertThat(reconciler.worthReconciling(key(2, "sha256:aaaa"), ours)).as("spec (generation)").isTrue();
    ApiKey annotated = copy(ours, "2");
    annotated.getMetadata().setAnnotations(Map.of(ApiKey.ROTATE_ANNOTATION, "now"));
    assertThat(reconciler.worthReconciling(annotated, ours)).as("annotation").isTrue();
    ApiKey labelled = copy(ours, "2");
    labelled.getMetadata().setLabels(Map.of("velero.io/restore-name", "nightly"));
    assertThat(reconciler.worthReconciling(labelled, ours)).as("label").isTrue();
    ApiKey finalized = copy(ours, "2");
    finalized.getMetadata().getFinalizers().add("example.com/other");
    assertThat(reconciler.worthReconciling(finalized, ours)).as("another controller's finalizer").isTrue();
    ApiKey ownFinalizer = copy(ours, "2");
    ownFinalizer.getMetadata().getFinalizers().add(ApiKey.FINALIZER);
    assertThat(reconciler.worthReconciling(ownFinalizer, ours)).as("JOSDK's finalizer pass").isTrue();
    ApiKey owned = copy(ours, "2");
    owned.getMetadata().setOwnerReferences(java.util.List.of(new io.fabric8.kubernetes.api.model.OwnerReference()));
    assertThat(reconciler.worthReconciling(owned, ours)).as("owner").isTrue();
    ApiKey deleted = copy(ours, "2");
    deleted.getMetadata().setDeletionTimestamp("2026-12-02T00:00:00Z");
    assertThat(reconciler.worthReconciling(deleted, ours)).as("deletion").isTrue();
  }
}
