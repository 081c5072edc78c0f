package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.simulator.SimKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantee 9: tearing a namespace down as the namespace controller does (every object of every kind, in any order,
 * again and again until nothing is left) or deleting an ApiKey with foreground propagation revokes every key. The
 * mock API server has neither a namespace controller nor a garbage collector: this test is both.
 */
class TeardownIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();
  private static final Random RANDOM = new Random(20);

  @BeforeAll
  static void clusterProvider() {
    h.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("platform").endMetadata()
        .build()).create();
    h.credentials("platform", "fme-admin", h.simulator.adminToken());
    h.client.resource(h.clusterProvider("shared-fme", "platform")).create();
  }

  @AfterEach
  void vendorBack() {
    h.simulator.faults().clear();
  }

  @Test
  void deletingANamespaceRevokesEveryKeyOfEveryKind() {
    String ns = previewNamespace();
    tearDown(ns);
    assertEveryKeyRevoked(ns);
  }

  @Test
  void deletingANamespaceWhileTheVendorIsDownFinishesOnceItIsBack() {
    String ns = previewNamespace();
    h.simulator.faults().setDown(true);
    deleteEverything(ns, Duration.ofSeconds(8)); // the namespace controller keeps going while the vendor is down
    assertThat(h.client.resources(ApiKey.class).inNamespace(ns).list().getItems())
        .as("ApiKeys wait for their revocation").isNotEmpty()
        .allSatisfy(k -> assertThat(k.getMetadata().getFinalizers()).contains("apikeyoperator.dev/revoke"));
    assertThat(h.activeKeys(ns + "-")).isNotEmpty();
    h.simulator.faults().setDown(false);
    tearDown(ns);
    assertEveryKeyRevoked(ns);
  }

  @Test
  void foregroundDeletionRevokesBeforeTheOwnedSecretsGo() {
    String ns = h.namespaceWithProvider();
    h.create(RotationIT.withGrace(serverSideKey(ns, "checkout"), "1h"));
    h.awaitReason(ns, "checkout", "KeyReady");
    h.client.resource(h.get(ns, "checkout")).withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
    // The garbage collector deletes the dependents of an ApiKey deleted in the foreground while it waits.
    for (Secret s : h.client.secrets().inNamespace(ns).list().getItems()) {
      if (s.getMetadata().getOwnerReferences().stream().anyMatch(o -> "ApiKey".equals(o.getKind()))) {
        h.client.resource(s).delete();
      }
    }
    h.awaitGone(ns, "checkout");
    assertThat(h.allKeys(ns + "-checkout-")).isNotEmpty().allSatisfy(k -> assertThat(k.active()).isFalse());
    // The kept state is let go once the keys are revoked (the mock's PUT forgets a deletionTimestamp, so the
    // finalizer, not the object's absence, is what is checked).
    Secret ledger = h.secret(ns, "checkout-apikey-ledger");
    assertThat(ledger == null ? List.<String>of() : ledger.getMetadata().getFinalizers())
        .doesNotContain("apikeyoperator.dev/revoke");
  }

  @Test
  void aLedgerDeletedWithItsFinalizerRemovedByHandHoldsTheDeletionAndNamesTheKey() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "lost"));
    h.awaitReason(ns, "lost", "KeyReady");
    String keyName = h.get(ns, "lost").getStatus().key.name;
    // Paused, so that the operator does not restore what is deleted next; then both copies of the key go.
    h.edit(ApiKey.class, ns, "lost", k -> k.getMetadata().setAnnotations(
        new HashMap<>(java.util.Map.of("apikeyoperator.dev/paused", "true"))));
    h.awaitReason(ns, "lost", "Paused");
    h.edit(Secret.class, ns, "lost-apikey-ledger", s -> s.getMetadata().setFinalizers(List.of()));
    h.client.secrets().inNamespace(ns).withName("lost-apikey-ledger").delete();
    h.client.secrets().inNamespace(ns).withName("lost").delete();
    h.client.resource(h.get(ns, "lost")).delete();
    h.edit(ApiKey.class, ns, "lost", k -> k.getMetadata().getAnnotations().remove("apikeyoperator.dev/paused"));

    String message = h.awaitReason(ns, "lost", "StateInvalid").getMessage();
    assertThat(message).contains(keyName).contains("apikeyoperator.dev/acknowledge-indeterminate=" + keyName);
    assertThat(h.client.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(e -> assertThat(e.getMessage()).contains(keyName));
    assertThat(h.get(ns, "lost").getMetadata().getFinalizers()).contains("apikeyoperator.dev/revoke");

    assertThat(h.activeKeys(keyName)).as("nothing was revoked from state that is gone").hasSize(1);
    h.edit(ApiKey.class, ns, "lost", k -> k.getMetadata().getAnnotations()
        .put("apikeyoperator.dev/acknowledge-indeterminate", keyName));
    h.awaitGone(ns, "lost");
  }

  @Test
  void aCredentialTrulyGoneIsSaidInOneConditionAndOneEventNamingTheKey() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "orphaned"));
    h.awaitReason(ns, "orphaned", "KeyReady");
    String keyName = h.get(ns, "orphaned").getStatus().key.name;
    // Deleted with the operator's finalizer removed by hand: nothing can revoke through it any more.
    h.edit(Secret.class, ns, "fme-admin", s -> s.getMetadata().setFinalizers(List.of()));
    h.client.secrets().inNamespace(ns).withName("fme-admin").delete();
    // past the few seconds one read of a credential serves (a key minted meanwhile is still revoked with it)
    await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
    h.client.resource(h.get(ns, "orphaned")).delete();

    String message = h.awaitReason(ns, "orphaned", "RevocationFailed").getMessage();
    assertThat(message).contains(keyName).contains("fme-admin");
    assertThat(h.client.v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> "RevocationFailed".equals(e.getReason())).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(keyName));
    assertThat(h.get(ns, "orphaned").getMetadata().getFinalizers()).contains("apikeyoperator.dev/revoke");
    assertThat(h.activeKeys(keyName)).hasSize(1);
    h.credentials(ns, "fme-admin", h.simulator.adminToken()); // put back: the deletion finishes on its next look
    await().atMost(Duration.ofSeconds(90)).until(() -> h.get(ns, "orphaned") == null);
    assertThat(h.activeKeys(keyName)).isEmpty();
  }

  /**
   * A preview namespace: its own provider and credential Secret, a key on it, a key mid-rotation, a key on a
   * cluster provider, and a key whose create is in flight when the teardown starts.
   */
  private static String previewNamespace() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "web"));
    h.create(RotationIT.withGrace(serverSideKey(ns, "rotating"), "1h"));
    ApiKey shared = serverSideKey(ns, "shared");
    shared.getSpec().providerRef = new ProviderRef();
    shared.getSpec().providerRef.kind = ProviderRef.Kind.ClusterApiKeyProvider;
    shared.getSpec().providerRef.name = "shared-fme";
    h.create(shared);
    h.awaitReason(ns, "web", "KeyReady");
    h.awaitReason(ns, "shared", "KeyReady");
    h.awaitReason(ns, "rotating", "KeyReady");
    ApiKey k = h.get(ns, "rotating");
    if (k.getMetadata().getAnnotations() == null) {
      k.getMetadata().setAnnotations(new HashMap<>());
    }
    k.getMetadata().getAnnotations().put("apikeyoperator.dev/rotate-requested-at", "now");
    h.client.resource(k).update();
    h.awaitReason(ns, "rotating", "Rotating");
    h.simulator.faults().setLatencyMs(1500);
    h.create(serverSideKey(ns, "inflight"));
    await().atMost(Duration.ofSeconds(10)).until(() -> h.simulator.keys().stream()
        .anyMatch(key -> key.name().startsWith(ns + "-inflight-")) || ledgerHasPending(ns, "inflight"));
    h.simulator.faults().setLatencyMs(0);
    return ns;
  }

  private static boolean ledgerHasPending(String ns, String apiKey) {
    Secret s = h.secret(ns, apiKey + "-apikey-ledger");
    return s != null && OperatorHarness.value(s, "ledger.json").contains("pending");
  }

  /** The namespace controller until the namespace is empty, then the namespace itself goes. */
  private static void tearDown(String ns) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> deleteEverythingOnce(ns).isEmpty());
    h.client.namespaces().withName(ns).delete();
  }

  private static void deleteEverything(String ns, Duration during) {
    long end = System.nanoTime() + during.toNanos();
    while (System.nanoTime() < end) {
      deleteEverythingOnce(ns);
      await().pollDelay(Duration.ofMillis(200)).until(() -> true);
    }
  }

  /** One pass of the namespace controller: every object left, in a random order; returns what was there. */
  private static List<HasMetadata> deleteEverythingOnce(String ns) {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(h.client.resources(ApiKey.class).inNamespace(ns).list().getItems());
    all.addAll(h.client.secrets().inNamespace(ns).list().getItems());
    all.addAll(h.client.resources(ApiKeyProvider.class).inNamespace(ns).list().getItems());
    Collections.shuffle(all, RANDOM);
    for (HasMetadata o : all) {
      try {
        h.client.resource(o).delete();
      } catch (KubernetesClientException gone) {
        // deleted in between: as the namespace controller, go on
      }
    }
    return all;
  }

  private static void assertEveryKeyRevoked(String ns) {
    List<SimKey> keys = h.allKeys(ns + "-");
    assertThat(keys).extracting(SimKey::name).as("keys created for %s", ns).hasSizeGreaterThanOrEqualTo(5);
    assertThat(keys).as("keys still active at the vendor").noneMatch(SimKey::active);
  }
}
