package dev.apikeyoperator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.customresource.CredentialsSecretRef;
import dev.apikeyoperator.customresource.FmeProviderSpec;
import dev.apikeyoperator.customresource.ProviderRef;
import dev.apikeyoperator.customresource.ProviderSpec;
import dev.apikeyoperator.issuer.KeyValue;
import dev.apikeyoperator.testkit.MockKubernetes;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A burst of keys reads the provider's credentials Secret once per {@link VendorConnections#CREDENTIAL_REUSE}, not
 * once per key; a rotated credential is in use after that, or at once after the vendor refused the old one.
 */
class CredentialReuseTest {
  private final MockKubernetes mock = MockKubernetes.start();
  private final ThrottleTest.MovingClock clock = new ThrottleTest.MovingClock();
  private final VendorConnections connections = new VendorConnections(mock.client(), v -> new OkHttpClient(), clock,
      Duration.ofMinutes(5), new Endpoints(Endpoints.DEFAULT_VENDOR_HOSTS), new CallSlots(4));

  @AfterEach
  void stop() {
    mock.close();
  }

  private static Provider fme() {
    ProviderSpec spec = new ProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.fme.credentials = new dev.apikeyoperator.customresource.FmeCredentials();
    spec.fme.credentials.secretRef = new CredentialsSecretRef();
    spec.fme.credentials.secretRef.name = "fme-admin";
    return new Provider(ProviderRef.Kind.ApiKeyProvider, "fme", "shop", "uid-fme", spec, null);
  }

  private int requests() {
    return mock.server().getRequestCount();
  }

  @Test
  void aCredentialReadIsReusedBrieflyAndReadAgainWhenRotatedOrRefused() throws Exception {
    mock.createSecret("shop", "fme-admin", "token", "first-admin-token");
    int before = requests();
    Provider provider = fme();
    VendorConnections.Connection first = connections.connect(provider);
    for (int i = 0; i < 50; i++) {
      VendorConnections.Connection again = connections.connect(provider);
      assertThat(again.credentialFingerprint()).isEqualTo(first.credentialFingerprint());
      assertThat(again.issuer()).as("the same provider and credential: the same issuer").isSameAs(first.issuer());
    }
    assertThat(connections.connect(fme()).issuer()).as("an edited provider (a new spec)").isNotSameAs(first.issuer());
    assertThat(requests() - before).as("a burst of 52 calls: one read of the credentials Secret").isEqualTo(1);

    mock.client().secrets().inNamespace("shop").withName("fme-admin").delete();
    mock.createSecret("shop", "fme-admin", "token", "second-admin-token");
    String second = KeyValue.of("second-admin-token").fingerprint();
    clock.advance(VendorConnections.CREDENTIAL_REUSE);
    VendorConnections.Connection rotated = connections.connect(provider);
    assertThat(rotated.credentialFingerprint()).as("rotated, read again").isEqualTo(second);
    assertThat(rotated.issuer()).as("a new credential: a new issuer").isNotSameAs(first.issuer());

    mock.client().secrets().inNamespace("shop").withName("fme-admin").delete();
    mock.createSecret("shop", "fme-admin", "token", "third-admin-token");
    VendorConnections.Connection stale = connections.connect(fme());
    assertThat(stale.credentialFingerprint()).isEqualTo(second);
    connections.refused(stale); // the vendor answered 401
    assertThat(connections.connect(fme()).credentialFingerprint())
        .isEqualTo(KeyValue.of("third-admin-token").fingerprint());
  }
}
