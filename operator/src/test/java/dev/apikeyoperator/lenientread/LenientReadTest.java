package dev.apikeyoperator.lenientread;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.DeletionPolicy;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * What the informers do with an object this version cannot fully read: fabric8's own deserialization (the one the
 * informers use) must never throw, and must name what it could not read.
 */
class LenientReadTest {
  private static ApiKey read(String spec) {
    return Serialization.unmarshal("{\"apiVersion\":\"apikeyoperator.dev/v1alpha1\",\"kind\":\"ApiKey\","
        + "\"metadata\":{\"name\":\"k\",\"namespace\":\"shop\"},\"spec\":" + spec + "}", ApiKey.class);
  }

  @Test
  void unknownRoleIsAProblemNamingTheField() {
    ApiKey k = read("{\"providerRef\":{\"name\":\"fme\"},\"fme\":{\"type\":\"admin\","
        + "\"roles\":[\"API_ADMIN\",\"API_GOD\"]}}");
    assertThat(k.getSpec().readProblems()).singleElement().asString()
        .startsWith("spec.fme.roles[1]: 'API_GOD' is not one of API_ALL_GRANTED, API_APIKEY");
    assertThat(k.getSpec().fme.type).isEqualTo(FmeKeyType.ADMIN);
    assertThat(k.getSpec().unknownFields()).isEmpty();
  }

  @Test
  void unknownTypeIsAProblemNamingTheField() {
    ApiKey k = read("{\"providerRef\":{\"name\":\"fme\"},\"fme\":{\"type\":\"superuser\"}}");
    assertThat(k.getSpec().readProblems()).singleElement().asString()
        .startsWith("spec.fme.type: 'superuser' is not one of");
    assertThat(k.getSpec().fme.type).isNull();
  }

  @Test
  void unknownFieldsAreIgnoredAndNamed() {
    ApiKey k = read("{\"providerRef\":{\"name\":\"fme\"},\"fme\":{\"type\":\"server_side\"},"
        + "\"secret\":{\"name\":\"s\",\"format\":{\"data\":{\"A\":\"x\"}}},\"restartEverything\":true}");
    assertThat(k.getSpec().readProblems()).isEmpty();
    assertThat(k.getSpec().unknownFields()).containsExactlyInAnyOrder("spec.secret.format", "spec.restartEverything");
    assertThat(k.getSpec().secret.name).isEqualTo("s");
  }

  @Test
  void wrongShapesAreProblemsNotFailures() {
    ApiKey k = read("{\"providerRef\":\"fme\",\"fme\":{\"type\":\"server_side\",\"environments\":\"Production\"},"
        + "\"rolloutRestartTargets\":{\"kind\":\"Deployment\"}}");
    assertThat(k.getSpec().readProblems()).hasSize(3).anySatisfy(p -> assertThat(p).startsWith("spec.providerRef"))
        .anySatisfy(p -> assertThat(p).startsWith("spec.fme.environments"))
        .anySatisfy(p -> assertThat(p).startsWith("spec.rolloutRestartTargets"));
  }

  @Test
  void aTenantsTextIsQuotedShortAndPrintable() {
    ApiKey k = read("{\"providerRef\":{\"name\":\"fme\"},\"fme\":{\"type\":\"" + "x".repeat(500) + "\\n\\u0007\"}}");
    String problem = k.getSpec().readProblems().get(0);
    assertThat(problem).doesNotContain("\n").doesNotContain("\u0007").doesNotContain("x".repeat(41));
  }

  @Test
  void aValidSpecHasNoNotes() {
    ApiKey k = read("{\"providerRef\":{\"name\":\"fme\"},\"fme\":{\"type\":\"server_side\",\"project\":{\"name\":"
        + "\"Shop\"},\"environments\":[{\"name\":\"Production\"}]},\"deletionPolicy\":\"Orphan\"}");
    assertThat(k.getSpec().readProblems()).isEmpty();
    assertThat(k.getSpec().unknownFields()).isEmpty();
    assertThat(k.getSpec().deletionPolicy).isEqualTo(DeletionPolicy.Orphan);
    assertThat(k.getSpec().fme.environments).singleElement().extracting(e -> e.name).isEqualTo("Production");
  }

  @Test
  void anUnreadableStatusIsReadAsFarAsItGoes() {
    ApiKey k = Serialization.unmarshal("{\"apiVersion\":\"apikeyoperator.dev/v1alpha1\",\"kind\":\"ApiKey\","
        + "\"metadata\":{\"name\":\"k\"},\"spec\":{\"providerRef\":{\"name\":\"fme\"}},"
        + "\"status\":{\"secretName\":\"s\",\"consumers\":[{\"kind\":\"Deployment\"}],\"observedGeneration\":\"x\"}}",
        ApiKey.class);
    assertThat(k.getStatus().secretName).isEqualTo("s");
  }

  @Test
  void providersToo() {
    ClusterApiKeyProvider p = Serialization.unmarshal("{\"apiVersion\":\"apikeyoperator.dev/v1alpha1\","
        + "\"kind\":\"ClusterApiKeyProvider\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"fme\":{\"credentials\":"
        + "{\"secretRef\":{\"name\":\"s\"},\"scheme\":\"Basic\"}},\"vendorHosts\":[\"x\"]}}",
        ClusterApiKeyProvider.class);
    assertThat(p.getSpec().readProblems()).singleElement().asString().startsWith("spec.fme.credentials.scheme");
    assertThat(p.getSpec().unknownFields()).containsExactly("spec.vendorHosts");
  }
}
