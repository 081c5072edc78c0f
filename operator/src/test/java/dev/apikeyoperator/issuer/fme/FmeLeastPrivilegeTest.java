package dev.apikeyoperator.issuer.fme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.AuthScheme;
import dev.apikeyoperator.api.v1alpha1.FmeCredentials;
import dev.apikeyoperator.api.v1alpha1.FmeKeySpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeProviderSpec;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.issuer.KeyPlan;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.issuer.NameNotFoundException;
import dev.apikeyoperator.issuer.PlanException;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorUnauthorizedException;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.simulator.FmeSimulator;
import dev.apikeyoperator.simulator.SimulatorConfig;
import dev.apikeyoperator.status.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vendor as it is (strict simulator): a least-privilege credential (API_APIKEY only, global scope) may not list
 * projects or environments, and a 404 on delete may mean "no access".
 */
class FmeLeastPrivilegeTest {
  private static final String KEYS_ONLY = "apikey-only-token";
  private static FmeSimulator sim;

  @BeforeAll
  static void start() {
    sim = FmeSimulator.start(SimulatorConfig.defaults().port(0).credential(KEYS_ONLY, List.of("API_APIKEY")));
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static Provider provider() {
    ProviderSpec spec = new ProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.fme.baseUrl = sim.baseUrl();
    spec.fme.credentials = new FmeCredentials();
    return new Provider(ProviderRef.Kind.ApiKeyProvider, "fme", "shop", "uid", spec, null);
  }

  private static FmeIssuer issuer(String token, FmeCredentialReach reach) {
    FmeClient client = new FmeClient(FmeClient.defaultHttpClient(null, null),
        new FmeEndpoint(sim.baseUrl(), KeyValue.of(token), AuthScheme.Bearer));
    return new FmeIssuer(client, new FmeDirectory(Duration.ofMinutes(5), Clock.systemUTC()), provider(), reach);
  }

  private static ApiKeySpec serverSide(NameOrId project, NameOrId environment) {
    ApiKeySpec spec = new ApiKeySpec();
    spec.fme = new FmeKeySpec();
    spec.fme.type = FmeKeyType.SERVER_SIDE;
    spec.fme.project = project;
    spec.fme.environments = new ArrayList<>(List.of(environment));
    return spec;
  }

  private static ApiKeySpec byIds() {
    return serverSide(NameOrId.byId(sim.projectId("Shop")), NameOrId.byId(sim.environmentId("Shop", "Production")));
  }

  private static int listings() {
    return sim.requestCounts().entrySet().stream().filter(e -> e.getKey().startsWith("GET "))
        .mapToInt(e -> e.getValue()).sum();
  }

  @Test
  void anApiKeyOnlyCredentialIsValidAndSaysNamesCannotBeLookedUp() {
    int creates = sim.createCount();
    assertThat(issuer(sim.adminToken(), new FmeCredentialReach()).checkCredentials()).isEmpty();

    assertThat(issuer(KEYS_ONLY, new FmeCredentialReach()).checkCredentials()).hasValueSatisfying(note ->
        assertThat(note).contains("names cannot be looked up").contains("API_ALL_GRANTED, API_ADMIN or "
            + "API_WORKSPACE_ADMIN").contains("{id: ...}"));

    Throwable bad = catchThrowable(() -> issuer("no-such-token", new FmeCredentialReach()).checkCredentials());
    assertThat(bad).isInstanceOf(VendorUnauthorizedException.class);
    assertThat(sim.createCount()).isEqualTo(creates);
  }

  @Test
  void idsAreMintedWithoutALookupAndNamesSayWhichRoleIsMissing() throws Exception {
    FmeCredentialReach reach = new FmeCredentialReach();
    FmeIssuer issuer = issuer(KEYS_ONLY, reach);
    issuer.checkCredentials();
    int before = listings();

    KeyPlan<FmeIssuer.Resolved> plan = issuer.plan(byIds());
    MintedKey minted = issuer.create(plan, "shop-checkout-abc123");

    assertThat(listings()).isEqualTo(before);
    assertThat(sim.activeKeys()).anySatisfy(k -> assertThat(k.name()).isEqualTo("shop-checkout-abc123"));
    assertThat(minted.value()).isNotNull();

    Throwable byName = catchThrowable(() -> issuer.plan(serverSide(NameOrId.byName("Shop"),
        NameOrId.byName("Production"))));
    assertThat(byName).isInstanceOf(PlanException.class).hasMessageContaining("\"Shop\" cannot be looked up")
        .hasMessageContaining("API_ALL_GRANTED, API_ADMIN or API_WORKSPACE_ADMIN").hasMessageContaining("{id: ...}");
    assertThat(((PlanException) byName).reason()).isEqualTo(Reason.ProjectNotFound);
    Throwable envByName = catchThrowable(() -> issuer.plan(serverSide(NameOrId.byId(sim.projectId("Shop")),
        NameOrId.byName("Production"))));
    assertThat(((PlanException) envByName).reason()).isEqualTo(Reason.EnvironmentNotFound);
  }

  @Test
  void withoutAPriorProviderCheckTheRefusedListingIsProbedAndIdsStillWork() throws Exception {
    FmeIssuer issuer = issuer(KEYS_ONLY, new FmeCredentialReach()); // e.g. after a restart

    KeyPlan<FmeIssuer.Resolved> plan = issuer.plan(byIds());
    issuer.create(plan, "after-restart-abc123");

    assertThat(sim.activeKeys()).anySatisfy(k -> assertThat(k.name()).isEqualTo("after-restart-abc123"));
    Throwable bad = catchThrowable(() -> issuer("no-such-token", new FmeCredentialReach()).plan(byIds()));
    assertThat(bad).isInstanceOf(VendorUnauthorizedException.class);
  }

  @Test
  void aWrongIdFailsAtCreateWithTheVendors404AsNotFound() throws Exception {
    FmeIssuer issuer = issuer(KEYS_ONLY, new FmeCredentialReach());
    issuer.checkCredentials();
    int creates = sim.createCount();

    KeyPlan<FmeIssuer.Resolved> plan = issuer.plan(serverSide(NameOrId.byId(sim.projectId("Shop")),
        NameOrId.byId("no-such-environment")));
    Throwable t = catchThrowable(() -> issuer.create(plan, "wrong-id-abc123"));

    assertThat(t).isInstanceOf(NameNotFoundException.class).hasMessageContaining("404");
    assertThat(((NameNotFoundException) t).kind()).isEqualTo("environment");
    assertThat(sim.createCount()).isEqualTo(creates);
  }

  @Test
  void a404OnRevokeProvesNothingUntilTheCredentialHasDeleted() throws Exception {
    String projectScoped = "project-scoped-token";
    sim.addCredential(projectScoped, List.of("API_APIKEY"), sim.projectId("Shop"), List.of());
    FmeIssuer global = issuer(sim.adminToken(), new FmeCredentialReach());
    MintedKey live = global.create(global.plan(byIds()), "kept-live-abc123");
    LedgerKey key = new LedgerKey("kept-live-abc123", live.id(), live.value(), Instant.now(), "i", "s", "", null);

    // a project-scoped credential gets 404 and the key stays live: not counted as revoked
    Throwable refused = catchThrowable(() -> issuer(projectScoped, new FmeCredentialReach()).revoke(key));
    assertThat(refused).isInstanceOf(VendorErrorException.class).hasMessageContaining("404")
        .hasMessageContaining("does not prove the key revoked").hasMessageContaining("GLOBAL-scope");
    assertThat(sim.activeKeys()).anySatisfy(k -> assertThat(k.name()).isEqualTo("kept-live-abc123"));

    // a credential that has deleted before (GLOBAL scope): its 404 means gone
    FmeCredentialReach reach = new FmeCredentialReach();
    FmeIssuer deleter = issuer(sim.adminToken(), reach);
    deleter.revoke(key);
    assertThat(sim.activeKeys()).noneSatisfy(k -> assertThat(k.name()).isEqualTo("kept-live-abc123"));
    deleter.revoke(key); // already gone: done
    assertThat(reach.knownToDelete()).isTrue();
  }
}
