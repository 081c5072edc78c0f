package dev.apikeyoperator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.testkit.MockKubernetes;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The finalizer the ApiKey reconcile writes itself: beside other finalizers, and never over a newer copy. */
class ApiKeyFinalizerTest {
  private final MockKubernetes mock = MockKubernetes.start(Path.of("..", "crds"));
  private final KubernetesClient client = mock.client();

  @AfterEach
  void stop() {
    mock.close();
  }

  private ApiKey created(List<String> finalizers) {
    ApiKey k = new ApiKey();
    k.setMetadata(new ObjectMetaBuilder().withName("k").withNamespace("shop").withFinalizers(finalizers).build());
    return client.resource(k).create();
  }

  @Test
  void addedBesideOthersAndRemovedAlone() {
    ApiKey k = created(List.of("example.com/other"));
    int before = mock.server().getRequestCount();
    ApiKeyFinalizer.add(client, k);
    assertThat(mock.server().getRequestCount() - before).as("one PATCH, no read").isEqualTo(1);
    ApiKey read = client.resources(ApiKey.class).inNamespace("shop").withName("k").get();
    assertThat(read.getMetadata().getFinalizers()).containsExactly("example.com/other", ApiKey.FINALIZER);
    assertThat(ApiKeyFinalizer.onlyAdded(k, read)).isTrue();
    assertThat(ApiKeyFinalizer.onlyAdded(read, read)).isFalse();

    client.resource(read).delete();
    ApiKey deleting = client.resources(ApiKey.class).inNamespace("shop").withName("k").get();
    assertThat(deleting.isMarkedForDeletion()).isTrue();
    ApiKeyFinalizer.remove(client, deleting);
    assertThat(client.resources(ApiKey.class).inNamespace("shop").withName("k").get().getMetadata().getFinalizers())
        .containsExactly("example.com/other");
  }

  @Test
  void aFinalizerAddedMeanwhileBySomebodyElseIsKept() {
    ApiKey k = created(List.of());
    client.resources(ApiKey.class).inNamespace("shop").withName("k").edit(a -> {
      a.getMetadata().setFinalizers(new java.util.ArrayList<>(List.of("example.com/other")));
      return a;
    });
    ApiKey read = client.resources(ApiKey.class).inNamespace("shop").withName("k").get();
    ApiKeyFinalizer.add(client, read);
    client.resources(ApiKey.class).inNamespace("shop").withName("k").edit(a -> {
      a.getMetadata().getFinalizers().add(0, "example.com/first");
      return a;
    });
    client.resources(ApiKey.class).inNamespace("shop").withName("k").delete();
    ApiKeyFinalizer.remove(client, client.resources(ApiKey.class).inNamespace("shop").withName("k").get());
    assertThat(client.resources(ApiKey.class).inNamespace("shop").withName("k").get().getMetadata().getFinalizers())
        .containsExactly("example.com/first", "example.com/other");
  }

  @Test
  void theLastFinalizerRemovedLetsTheApiKeyGo() {
    ApiKey k = created(List.of());
    ApiKeyFinalizer.add(client, k);
    ApiKey read = client.resources(ApiKey.class).inNamespace("shop").withName("k").get();
    client.resource(read).delete();
    ApiKeyFinalizer.remove(client, client.resources(ApiKey.class).inNamespace("shop").withName("k").get());
    assertThat(client.resources(ApiKey.class).inNamespace("shop").withName("k").get()).isNull();
  }
}
