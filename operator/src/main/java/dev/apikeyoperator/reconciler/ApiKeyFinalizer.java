package dev.apikeyoperator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.apikeyoperator.customresource.ApiKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;

/**
 * The ApiKey's finalizer, written by the reconcile itself (docs/design/ledger.md): added before anything else happens to
 * a new ApiKey, in the same reconcile that then creates its key, and removed once its keys are revoked. Both are JSON
 * patches of {@code metadata.finalizers} alone, as JOSDK's own are: the spec is never written back (this version may
 * not know all of it), the finalizer is appended to whatever list is there, and it is removed only from the place
 * the patch first tests it is at, so nobody else's finalizer is lost.
 */
final class ApiKeyFinalizer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiKeyFinalizer() {}

  static boolean isOn(ApiKey apiKey) {
    return apiKey.hasFinalizer(ApiKey.FINALIZER);
  }

  /** Adds the finalizer. */
  static void add(KubernetesClient client, ApiKey apiKey) {
    ArrayNode ops = JSON.createArrayNode();
    if (current(apiKey).isEmpty()) {
      ops.addObject().put("op", "add").put("path", "/metadata/finalizers").putArray("value").add(ApiKey.FINALIZER);
    } else {
      ops.addObject().put("op", "add").put("path", "/metadata/finalizers/-").put("value", ApiKey.FINALIZER);
    }
    patch(client, apiKey, ops);
  }

  /** Removes the finalizer: the API server then deletes the ApiKey (its Secrets go with it, as it owns them). */
  static void remove(KubernetesClient client, ApiKey apiKey) {
    int at = current(apiKey).indexOf(ApiKey.FINALIZER);
    if (at < 0) {
      return;
    }
    ArrayNode ops = JSON.createArrayNode();
    String path = "/metadata/finalizers/" + at;
    ops.addObject().put("op", "test").put("path", path).put("value", ApiKey.FINALIZER);
    ops.addObject().put("op", "remove").put("path", path);
    patch(client, apiKey, ops);
  }

  /**
   * Whether {@code newer} differs from {@code older} only by this finalizer having been added (and the
   * resourceVersion): nothing a reconcile reads changed, so that update wakes nobody.
   */
  static boolean onlyAdded(ApiKey older, ApiKey newer) {
    if (isOn(older) || !isOn(newer)) {
      return false;
    }
    List<String> before = new ArrayList<>(current(older));
    before.add(ApiKey.FINALIZER);
    return before.equals(current(newer));
  }

  private static List<String> current(ApiKey apiKey) {
    List<String> finalizers = apiKey.getMetadata().getFinalizers();
    return finalizers == null ? List.of() : finalizers;
  }

  private static void patch(KubernetesClient client, ApiKey apiKey, ArrayNode ops) {
    // On the object itself: a patch by name alone reads the object first.
    client.resources(ApiKey.class).inNamespace(apiKey.getMetadata().getNamespace()).resource(apiKey)
        .patch(PatchContext.of(PatchType.JSON), ops.toString());
  }
}
