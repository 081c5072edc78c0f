package dev.apikeyoperator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.FmeProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.secretvalue.KeyValue;
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
  private final dev.apikeyoperator.MovingClock clock = new dev.apikeyoperator.MovingClock();
  private final VendorConnections connections = new VendorConnections(mock.client(), v -> new OkHttpClient(), clock,
      Duration.ofMinutes(5), new Endpoints(Endpoints.DEFAULT_VENDOR_HOSTS), new dev.apikeyoperator.pacing.Pacing(4, clock));

  @AfterEach
  void stop() {
    mock.close();
  }

  private static Provider fme() {
    ProviderSpec spec = new ProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.fme.credentials = new dev.apikeyoperator.api.v1alpha1.FmeCredentials();
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
    assertThat(first.credentialReused()).as("the first call reads the Secret").isFalse();
    for (int i = 0; i < 50; i++) {
      VendorConnections.Connection again = connections.connect(provider);
      assertThat(again.credentialFingerprint()).isEqualTo(first.credentialFingerprint());
      assertThat(again.credentialReused()).isTrue();
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
    assertThat(stale.credentialReused()).isTrue();
    connections.refused(stale); // the vendor answered 401
    assertThat(connections.rotatedSince(stale, fme())).as("the Secret holds another credential now").isTrue();
    VendorConnections.Connection current = connections.connect(fme());
    assertThat(current.credentialFingerprint()).isEqualTo(KeyValue.of("third-admin-token").fingerprint());
    assertThat(current.credentialReused()).as("the read made for rotatedSince").isTrue();
    connections.refused(current); // a bad credential: refused again
    assertThat(connections.rotatedSince(current, fme())).as("still the same credential: no quick retry").isFalse();
    clock.advance(VendorConnections.CREDENTIAL_REUSE);
    VendorConnections.Connection fresh = connections.connect(fme());
    assertThat(fresh.credentialReused()).isFalse();
    connections.refused(fresh);
    assertThat(connections.rotatedSince(fresh, fme())).as("read for this call: nothing newer to read").isFalse();
  }

  @Test
  void theProvidersOwnCheckJudgesTheCredentialTheSecretHoldsNow() throws Exception {
    mock.createSecret("shop", "fme-admin", "token", "first-admin-token");
    Provider provider = fme();
    connections.connect(provider);
    mock.client().secrets().inNamespace("shop").withName("fme-admin").delete();
    mock.createSecret("shop", "fme-admin", "token", "replaced-admin-token");
    assertThat(connections.connect(provider).credentialFingerprint()).as("key calls: the read of a moment ago")
        .isEqualTo(KeyValue.of("first-admin-token").fingerprint());
    VendorConnections.Connection check = connections.connectWithCurrentCredential(provider);
    assertThat(check.credentialFingerprint()).isEqualTo(KeyValue.of("replaced-admin-token").fingerprint());
    assertThat(check.credentialReused()).isFalse();
    assertThat(connections.connect(provider).credentialFingerprint()).as("the check's read serves the next key calls")
        .isEqualTo(KeyValue.of("replaced-admin-token").fingerprint());
  }
}
