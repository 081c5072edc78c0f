package dev.apikeyoperator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.ApiKeyStatus;
import dev.apikeyoperator.customresource.KeyStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnStatusWritesTest {
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
    OwnStatusWrites writes = new OwnStatusWrites();
    ApiKey before = key(1, null);
    ApiKey after = key(1, "sha256:aaaa");
    writes.wrote(after, after.getStatus());
    assertThat(writes.worthReconciling(copy(after, "2"), before)).isFalse();
  }

  @Test
  void aStatusSomebodyElseWroteIsWrittenAgain() {
    OwnStatusWrites writes = new OwnStatusWrites();
    ApiKey ours = key(1, "sha256:aaaa");
    writes.wrote(ours, ours.getStatus());
    assertThat(writes.worthReconciling(key(1, "sha256:forged"), ours)).isTrue();
    assertThat(new OwnStatusWrites().worthReconciling(copy(ours, "2"), ours))
        .as("after a restart nothing is known to be ours").isTrue();
  }

  @Test
  void specAnnotationsFinalizersAndDeletionAlwaysWakeTheKey() {
    OwnStatusWrites writes = new OwnStatusWrites();
    ApiKey ours = key(1, "sha256:aaaa");
    writes.wrote(ours, ours.getStatus());
    assertThat(writes.worthReconciling(key(2, "sha256:aaaa"), ours)).as("spec (generation)").isTrue();
    ApiKey annotated = copy(ours, "2");
    annotated.getMetadata().setAnnotations(Map.of("apikeyoperator.dev/rotate", "now"));
    assertThat(writes.worthReconciling(annotated, ours)).as("annotation").isTrue();
    ApiKey finalized = copy(ours, "2");
    finalized.getMetadata().getFinalizers().add("example.com/other");
    assertThat(writes.worthReconciling(finalized, ours)).as("another controller's finalizer").isTrue();
    ApiKey deleted = copy(ours, "2");
    deleted.getMetadata().setDeletionTimestamp("2026-12-02T00:00:00Z");
    assertThat(writes.worthReconciling(deleted, ours)).as("deletion").isTrue();
  }

  /** The reconcile adds the finalizer itself and goes on: that update, alone or with its status write, wakes nobody. */
  @Test
  void theFinalizerTheReconcileAddsWakesNoReconcile() {
    OwnStatusWrites writes = new OwnStatusWrites();
    ApiKey created = key(1, null);
    ApiKey finalized = copy(created, "2");
    finalized.getMetadata().getFinalizers().add(ApiKey.FINALIZER);
    assertThat(writes.worthReconciling(finalized, created)).as("the finalizer alone").isFalse();

    ApiKey ready = copy(finalized, "3");
    ready.getStatus().key.fingerprint = "sha256:aaaa";
    ready.getMetadata().getFinalizers().add(ApiKey.FINALIZER);
    writes.wrote(ready, ready.getStatus());
    assertThat(writes.worthReconciling(ready, created)).as("the finalizer and the status written here").isFalse();

    ApiKey forged = copy(ready, "4");
    forged.getStatus().key.fingerprint = "sha256:forged";
    forged.getMetadata().getFinalizers().add(ApiKey.FINALIZER);
    assertThat(writes.worthReconciling(forged, created)).as("with a status written by somebody else").isTrue();
  }
}
