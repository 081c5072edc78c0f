package dev.apikeyoperator.sandbox;

import static dev.apikeyoperator.sandbox.SandboxWorld.dataKey;
import static dev.apikeyoperator.sandbox.SandboxWorld.ready;
import static dev.apikeyoperator.sandbox.SandboxWorld.secretName;
import static dev.apikeyoperator.sandbox.SandboxWorld.secretValue;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.simulator.SimKey;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user changes, and what the operator must do about it: deleting an FME ApiKey revokes its key at the
 * vendor; editing a Statsig key's description updates that key in place.
 */
final class Changes {
  /** A new description for the Statsig key in the in-place update step. */
  static final String UPDATED_DESCRIPTION = "checkout service, updated by the sandbox";

  private final SandboxWorld world;
  private final Checklist log;

  Changes(SandboxWorld world, Checklist log) {
    this.world = world;
    this.log = log;
  }

  void deleteClientSide(List<Doc> apiKeys, Map<String, String> values)
      throws InterruptedException {
    Optional<Doc> target = apiKeys.stream().filter(k -> {
      ApiKey live = world.apiKey(k);
      return live != null && live.getSpec().fme != null && live.getSpec().fme.type.wire().equals("client_side");
    }).findFirst();
    if (target.isEmpty()) {
      log.fail("the examples have an FME client_side ApiKey to delete", "none found");
      return;
    }
    Doc k = target.get();
    String value = values.get(k.ref());
    Optional<SimKey> before = value == null ? Optional.empty()
        : world.fme.keys().stream().filter(s -> s.key().equals(value)).findFirst();
    log.line("deleting ApiKey " + k.ref() + before.map(s -> " (vendor key " + s.name() + ")").orElse(""));
    world.client.resources(ApiKey.class).inNamespace(k.namespace()).withName(k.name()).delete();
    boolean gone = log.waitFor(Duration.ofSeconds(30), () -> world.apiKey(k) == null,
        s -> "ApiKey " + k.ref() + " still there (finalizer " + ApiKey.FINALIZER + ")");
    ApiKey stuck = gone ? null : world.apiKey(k);
    log.check(gone, "ApiKey " + k.ref() + " is gone after its deletion", stuck == null ? "still there"
        : ready(stuck).map(c -> "still there, Ready reason " + c.getReason() + ": " + c.getMessage())
            .orElse("still there"));
    if (before.isEmpty()) {
      log.line("(it never had a key: nothing to revoke at the simulator)");
      return;
    }
    String id = before.get().id();
    Optional<SimKey> after = world.fme.keys().stream().filter(s -> s.id().equals(id)).findFirst();
    log.check(after.map(s -> !s.active()).orElse(false), "key " + before.get().name()
        + " is revoked at the FME simulator (active=false)", "it is still active");
    after.ifPresent(s -> log.line("FME simulator: " + s.name() + "  type=" + s.type() + "  active=" + s.active()
        + "  revokedAt=" + s.revokedAt()));
    long stillActive = apiKeys.stream().filter(x -> x != k).map(x -> values.get(x.ref())).filter(Objects::nonNull)
        .filter(world::activeAtASimulator).count();
    long others = apiKeys.stream().filter(x -> x != k && values.containsKey(x.ref())).count();
    log.check(stillActive == others, "the other " + others + " keys (every vendor) are still active",
        stillActive + " are");
    log.line("(the mock API server has no garbage collector, so the Secret owned by the deleted ApiKey stays; "
        + "a real cluster deletes it through its ownerReference)");
  }

  /**
   * Changes a Statsig ApiKey's description: the operator must update the key at Statsig in place, so the Secret
   * keeps its value and no key is created.
   */
  void updateStatsigInPlace(List<Doc> apiKeys, Map<String, String> values)
      throws InterruptedException {
    Optional<Doc> target = apiKeys.stream().filter(k -> {
      ApiKey live = world.apiKey(k);
      return live != null && live.getSpec().statsig != null && values.containsKey(k.ref());
    }).findFirst();
    if (target.isEmpty()) {
      log.fail("the examples have a Statsig ApiKey with a key to update", "none found");
      return;
    }
    Doc k = target.get();
    String value = values.get(k.ref());
    int createsBefore = world.statsig.createCount();
    int activeBefore = world.statsig.activeKeys().size();
    String oldDescription = world.statsigDescription(value);
    log.line("ApiKey " + k.ref() + ": spec.statsig.description -> \"" + UPDATED_DESCRIPTION + "\"");
    log.line("Statsig simulator before: \"" + oldDescription + "\"  (keys created so far: " + createsBefore + ")");

    // Read-modify-update with the resourceVersion just read, as kubectl edit does; a 409 means someone (the
    // operator writing status) got there first: read again and retry.
    boolean updated = false;
    Long generation = null;
    for (int attempt = 1; attempt <= 10 && !updated; attempt++) {
      ApiKey live = world.apiKey(k);
      if (live == null) {
        break;
      }
      live.getSpec().statsig.description = UPDATED_DESCRIPTION;
      try {
        generation = world.client.resource(live).update().getMetadata().getGeneration();
        updated = true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        log.line("update conflicted (409), attempt " + attempt + ": reading again");
        Thread.sleep(100);
      }
    }
    log.check(updated, "ApiKey " + k.ref() + ": spec.statsig.description is updated",
        "it could not be updated");
    if (!updated) {
      return;
    }
    boolean applied = log.waitFor(Duration.ofSeconds(30),
        () -> world.statsigDescription(value).startsWith(UPDATED_DESCRIPTION),
        s -> "the Statsig simulator still has \"" + world.statsigDescription(value) + "\"");
    String newDescription = world.statsigDescription(value);
    log.line("Statsig simulator after:  \"" + newDescription + "\"");
    log.check(applied, "the Statsig key's description at the simulator now starts with \"" + UPDATED_DESCRIPTION
        + "\"", "it is \"" + newDescription + "\" after 30 s");
    // The status must be about the edited spec, not left over from before it.
    long edited = generation == null ? 0 : generation;
    boolean ready = log.waitFor(Duration.ofSeconds(15), () -> {
      ApiKey x = world.apiKey(k);
      return x != null && x.getStatus() != null && x.getStatus().observedGeneration != null
          && x.getStatus().observedGeneration >= edited
          && ready(x).map(c -> "KeyReady".equals(c.getReason())).orElse(false);
    }, s -> "ApiKey " + k.ref() + " has not yet reported on generation " + edited);
    ApiKey after = world.apiKey(k);
    log.check(ready, "ApiKey " + k.ref() + " is Ready (KeyReady) for generation " + edited + " after the update",
        (after == null || after.getStatus() == null ? "no status" : "observedGeneration "
            + after.getStatus().observedGeneration) + ", " + ready(after).map(c -> "Ready=" + c.getStatus()
            + ", reason " + c.getReason() + ": " + c.getMessage()).orElse("no Ready condition"));
    ApiKey live = world.apiKey(k);
    String secretName = live == null ? k.name() : secretName(live, k);
    String now = live == null ? null
        : secretValue(world.client.secrets().inNamespace(k.namespace()).withName(secretName).get(), dataKey(live));
    log.check(value.equals(now), "Secret " + k.namespace() + "/" + secretName + " still holds the same key ("
        + KeyValue.fingerprintOf(value) + ")",
        now == null ? "its value is gone" : "it now holds " + KeyValue.fingerprintOf(now));
    log.check(world.statsig.createCount() == createsBefore, "no Statsig key was created (createCount stays "
        + createsBefore + ")", "createCount is now " + world.statsig.createCount());
    log.check(world.statsig.activeKeys().size() == activeBefore && world.activeAtASimulator(value),
        "the same Statsig key is still active, and no other (" + activeBefore + " active)",
        world.statsig.activeKeys().size() + " active keys at the Statsig simulator");
  }
}
