package dev.apikeyoperator.informercache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * The ApiKey controller's cache keeps an ApiKey as read from a real API server (BENCHMARKS.md, issue 13) without the
 * kubectl apply record and managedFields, and with everything the operator reads unchanged.
 */
class CachedApiKeysTest {
  /** An ApiKey as a cluster serves it after kubectl apply, the operator's finalizer and its status. */
  static String applied(String namespace, String name) {
    String spec = "{\"providerRef\":{\"name\":\"fme\"},\"fme\":{\"type\":\"server_side\","
        + "\"project\":{\"name\":\"Shop\"},\"environments\":[{\"name\":\"Production\"}]}}";
    return "{\"apiVersion\":\"apikeyoperator.dev/v1alpha1\",\"kind\":\"ApiKey\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"" + namespace + "\",\"uid\":\"u-" + name + "\",\"resourceVersion\":\"7\","
        + "\"generation\":1,\"finalizers\":[\"apikeyoperator.dev/revoke\"],"
        + "\"annotations\":{\"team\":\"shop\",\"kubectl.kubernetes.io/last-applied-configuration\":"
        + "\"{\\\"apiVersion\\\":\\\"apikeyoperator.dev/v1alpha1\\\",\\\"kind\\\":\\\"ApiKey\\\",\\\"spec\\\":{}}\\n\"},"
        + "\"managedFields\":[{\"manager\":\"kubectl-client-side-apply\",\"operation\":\"Update\","
        + "\"apiVersion\":\"apikeyoperator.dev/v1alpha1\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{}}}]},"
        + "\"spec\":" + spec + ",\"status\":{\"observedGeneration\":1,\"secretName\":\"" + name + "\","
        + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KeyReady\",\"message\":\"m\","
        + "\"observedGeneration\":1,\"lastTransitionTime\":\"2026-12-01T10:00:00Z\"}],"
        + "\"key\":{\"name\":\"n\",\"id\":\"i\",\"fingerprint\":\"sha256:0123456789abcdef\","
        + "\"createdAt\":\"2026-12-01T10:00:00Z\"}}}";
  }

  @Test
  void theCachedCopyHasNoApplyRecordNorManagedFieldsAndTheRestUnchanged() {
    ApiKey read = Serialization.unmarshal(applied("shop", "checkout"), ApiKey.class);
    ApiKey cached = CachedApiKeys.strip(Serialization.unmarshal(applied("shop", "checkout"), ApiKey.class));

    assertThat(read.getMetadata().getManagedFields()).isNotEmpty();
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getAnnotations()).containsOnlyKeys("team");
    assertThat(cached.getMetadata().getFinalizers()).containsExactly(ApiKey.FINALIZER);
    assertThat(cached.getMetadata().getUid()).isEqualTo("u-checkout");
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(cached.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(cached.getStatus()).isEqualTo(read.getStatus());
    assertThat(Serialization.asJson(cached.getSpec())).isEqualTo(Serialization.asJson(read.getSpec()));
  }

  @Test
  void whatManyKeysRepeatIsKeptOnce() {
    ApiKey a = CachedApiKeys.strip(Serialization.unmarshal(applied("shop", "a"), ApiKey.class));
    ApiKey b = CachedApiKeys.strip(Serialization.unmarshal(applied("shop", "b"), ApiKey.class));

    assertThat(a.getMetadata().getNamespace()).isSameAs(b.getMetadata().getNamespace());
    assertThat(a.getSpec().providerRef.name).isSameAs(b.getSpec().providerRef.name);
    assertThat(a.getStatus().conditions.get(0).reason).isSameAs(b.getStatus().conditions.get(0).reason);
    assertThat(a.getPlural()).isSameAs(b.getPlural());
    // fabric8 builds the CRD name and apiVersion anew per object, in private fields: 144 bytes per cached copy,
    // not worth reflection into fabric8
    assertThat(a.getCRDName()).isEqualTo(b.getCRDName());
  }

  @Test
  void strippingTwiceChangesNothing() {
    ApiKey once = CachedApiKeys.strip(Serialization.unmarshal(applied("shop", "checkout"), ApiKey.class));
    String json = Serialization.asJson(once);
    assertThat(Serialization.asJson(CachedApiKeys.strip(once))).isEqualTo(json);
  }
}
