package dev.apikeyoperator.issuer.fme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeySpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeRole;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.issuer.KeyPlan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FME identity and request building: what is created and what it is recorded under. */
class FmeIssuerTest {

  private static FmeKeySpec admin() {
    FmeKeySpec fme = new FmeKeySpec();
    fme.type = FmeKeyType.ADMIN;
    fme.project = NameOrId.byName("shop");
    fme.environments = new ArrayList<>(List.of(NameOrId.byName("prod"), NameOrId.byId("env-0")));
    fme.roles = new ArrayList<>(List.of(FmeRole.values()[1], FmeRole.values()[0]));
    return fme;
  }

  @Test
  void theSpecIdentityIsOrderFreeAndTellsNamesFromIds() {
    FmeKeySpec fme = admin();
    String roles = FmeRole.values()[0].name() + "," + FmeRole.values()[1].name();
    assertThat(FmeIdentity.ofSpec(fme)).isEqualTo("fme;type=admin;project=name:shop;environments=id:env-0,name:prod"
        + ";roles=" + roles);
    FmeKeySpec reordered = admin();
    reordered.environments = new ArrayList<>(List.of(NameOrId.byId("env-0"), NameOrId.byName("prod")));
    reordered.roles = new ArrayList<>(List.of(FmeRole.values()[0], FmeRole.values()[1], FmeRole.values()[0]));
    assertThat(FmeIdentity.ofSpec(reordered)).isEqualTo(FmeIdentity.ofSpec(fme));
    ApiKeySpec spec = new ApiKeySpec();
    spec.fme = fme;
    assertThat(FmeVendor.INSTANCE.specIdentity(spec)).isEqualTo(FmeIdentity.ofSpec(fme));
    assertThat(FmeVendor.INSTANCE.settings(spec)).isEmpty();
  }

  @Test
  void theResolvedIdentityUsesIdsOnly() {
    FmeKeySpec global = admin();
    assertThat(FmeIdentity.resolved(global, null, List.of())).isEqualTo("fme;type=admin;project=;environments=;roles="
        + FmeRole.values()[0].name() + "," + FmeRole.values()[1].name());
    assertThat(FmeIdentity.resolved(global, "ws-1", List.of("e2", "e1")))
        .contains(";project=ws-1;environments=e1,e2;");
  }

  @Test
  void aPlanBecomesTheCreateRequestUnderTheKeyName() {
    KeyPlan<FmeIssuer.Resolved> plan = FmeIssuer.plan(admin(), new FmeWorkspace("ws-1", "shop"),
        List.of(new FmeEnvironment("e1", "prod"), new FmeEnvironment("env-0", "qa")));
    assertThat(plan.identity()).isEqualTo(FmeIdentity.resolved(admin(), "ws-1", List.of("e1", "env-0")));
    FmeKeyRequest request = FmeIssuer.request(plan, "shop-checkout-abc123");
    assertThat(request).isEqualTo(new FmeKeyRequest("shop-checkout-abc123", "admin", "ws-1", List.of("e1", "env-0"),
        List.of(FmeRole.values()[1].name(), FmeRole.values()[0].name())));
  }

  @Test
  void aServerSideKeyCarriesNoRoles() {
    FmeKeySpec fme = new FmeKeySpec();
    fme.type = FmeKeyType.SERVER_SIDE;
    fme.roles = null;
    FmeKeyRequest request = FmeIssuer.request(FmeIssuer.plan(fme, new FmeWorkspace("ws-1", "shop"),
        List.of(new FmeEnvironment("e1", "prod"))), "k");
    assertThat(request.apiKeyType()).isEqualTo("server_side");
    assertThat(request.roles()).isEmpty();
  }
}
