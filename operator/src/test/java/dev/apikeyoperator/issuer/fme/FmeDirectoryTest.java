package dev.apikeyoperator.issuer.fme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.apikeyoperator.MovingClock;
import dev.apikeyoperator.api.v1alpha1.AuthScheme;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.NameNotFoundException;
import dev.apikeyoperator.transport.VendorUnauthorizedException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FmeDirectoryTest {

  private MockWebServer server;
  private FmeClient client;
  private MovingClock clock;
  private FmeDirectory directory;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    client =
        new FmeClient(
            FmeClient.defaultHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(2)),
            new FmeEndpoint(server.url("/api/v2").toString(), KeyValue.of("cred-abcdef123"), AuthScheme.Bearer));
    clock = new MovingClock(Instant.parse("2026-01-01T00:00:00Z"));
    directory = new FmeDirectory(Duration.ofMinutes(10), clock);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private static MockResponse json(String body) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
  }

  private static MockResponse workspaces(String... idNamePairs) {
    StringBuilder sb = new StringBuilder("{\"objects\":[");
    for (int i = 0; i < idNamePairs.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"id\":\"").append(idNamePairs[i]).append("\",\"name\":\"").append(idNamePairs[i + 1]).append("\"}");
    }
    int n = idNamePairs.length / 2;
    return json(sb.append("],\"offset\":0,\"limit\":100,\"totalCount\":").append(n).append('}').toString());
  }

  private static MockResponse environments(String... idNamePairs) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < idNamePairs.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"id\":\"").append(idNamePairs[i]).append("\",\"name\":\"").append(idNamePairs[i + 1]).append("\"}");
    }
    return json(sb.append(']').toString());
  }

  private void drainRequests() throws InterruptedException {
    while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
      // discard
    }
  }

  @Test
  void secondResolveIsServedFromTheCache() {
    server.enqueue(workspaces("ws-1", "Shop", "ws-2", "Billing"));

    FmeWorkspace first = directory.resolveProject(client, null, "Shop");
    clock.advance(Duration.ofMinutes(5));
    FmeWorkspace again = directory.resolveProject(client, null, "Shop");
    FmeWorkspace byId = directory.resolveProject(client, "ws-2", null);

    assertThat(first).isEqualTo(new FmeWorkspace("ws-1", "Shop"));
    assertThat(again).isEqualTo(first);
    assertThat(byId).isEqualTo(new FmeWorkspace("ws-2", "Billing"));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void cacheIsRefetchedAfterTtl() {
    server.enqueue(workspaces("ws-1", "Shop"));
    server.enqueue(workspaces("ws-1", "Shop Renamed"));

    directory.resolveProject(client, null, "Shop");
    clock.advance(Duration.ofMinutes(10));
    FmeWorkspace renamed = directory.resolveProject(client, "ws-1", null);

    assertThat(renamed.name()).isEqualTo("Shop Renamed");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void nameMatchIsExactAndCaseSensitive() {
    server.enqueue(workspaces("ws-1", "Shop"));

    Throwable t = catchThrowable(() -> directory.resolveProject(client, null, "shop"));

    assertThat(t).isInstanceOf(NameNotFoundException.class);
    assertThat(((NameNotFoundException) t).kind()).isEqualTo("project");
    assertThat(((NameNotFoundException) t).name()).isEqualTo("shop");
    assertThat(t.getMessage()).contains("\"shop\"", "case-sensitive").doesNotContain("\"Shop\"");
  }

  @Test
  void aMissRefetchesAtMostOncePerMinRefreshInterval() {
    server.enqueue(workspaces("ws-1", "Shop"));
    directory.resolveProject(client, null, "Shop"); // fetch #1 at t0

    // a burst of misses right after a fresh fetch: no refetch at all
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> directory.resolveProject(client, null, "New")).isInstanceOf(NameNotFoundException.class);
    }
    assertThat(server.getRequestCount()).isEqualTo(1);

    // 30 s later the project exists: the first miss refetches once and finds it
    clock.advance(Duration.ofSeconds(30));
    server.enqueue(workspaces("ws-1", "Shop", "ws-9", "New"));
    assertThat(directory.resolveProject(client, null, "New")).isEqualTo(new FmeWorkspace("ws-9", "New"));
    assertThat(server.getRequestCount()).isEqualTo(2);

    // another unknown name within the interval: no refetch
    clock.advance(Duration.ofSeconds(29));
    assertThatThrownBy(() -> directory.resolveProject(client, null, "Ghost")).isInstanceOf(NameNotFoundException.class);
    assertThat(server.getRequestCount()).isEqualTo(2);

    // after the interval: exactly one refetch for the whole burst
    clock.advance(Duration.ofSeconds(1));
    server.enqueue(workspaces("ws-1", "Shop", "ws-9", "New"));
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> directory.resolveProject(client, null, "Ghost")).isInstanceOf(NameNotFoundException.class);
    }
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void projectByIdMustExist() {
    server.enqueue(workspaces("ws-1", "Shop"));

    Throwable t = catchThrowable(() -> directory.resolveProject(client, "ws-404", null));

    assertThat(t).isInstanceOf(NameNotFoundException.class);
    NameNotFoundException e = (NameNotFoundException) t;
    assertThat(e.kind()).isEqualTo("project");
    assertThat(e.name()).isEqualTo("ws-404");
    assertThat(e.getMessage()).contains("id \"ws-404\"").doesNotContain("Shop").doesNotContain("ws-1");
  }

  @Test
  void theEnvironmentsOfAForbiddenProjectAreNeverListed() {
    server.enqueue(workspaces("ws-1", "Shop", "ws-2", "Payroll"));
    dev.apikeyoperator.api.v1alpha1.ApiKeyProviderSpec spec = new dev.apikeyoperator.api.v1alpha1.ApiKeyProviderSpec();
    spec.fme = new dev.apikeyoperator.api.v1alpha1.FmeProviderSpec();
    spec.policy = new dev.apikeyoperator.api.v1alpha1.ProviderPolicy();
    spec.policy.allowedProjects = List.of("Shop");
    dev.apikeyoperator.issuer.Provider provider = new dev.apikeyoperator.issuer.Provider(
        dev.apikeyoperator.api.v1alpha1.ProviderRef.Kind.ApiKeyProvider, "fme", "shop", "uid", spec, null);
    dev.apikeyoperator.api.v1alpha1.ApiKeySpec key = new dev.apikeyoperator.api.v1alpha1.ApiKeySpec();
    key.fme = new dev.apikeyoperator.api.v1alpha1.FmeKeySpec();
    key.fme.type = dev.apikeyoperator.api.v1alpha1.FmeKeyType.SERVER_SIDE;
    key.fme.project = dev.apikeyoperator.api.v1alpha1.NameOrId.byName("Payroll");
    key.fme.environments = List.of(dev.apikeyoperator.api.v1alpha1.NameOrId.byName("Production"));

    Throwable t = catchThrowable(() -> new FmeIssuer(client, directory, provider).plan(key));

    assertThat(t).isInstanceOf(dev.apikeyoperator.issuer.PlanException.class)
        .hasMessageContaining("does not allow project Payroll");
    assertThat(((dev.apikeyoperator.issuer.PlanException) t).reason())
        .isEqualTo(dev.apikeyoperator.status.Reason.PolicyDenied);
    assertThat(server.getRequestCount()).as("only the projects were listed").isEqualTo(1);
  }

  @Test
  void notFoundMessageListsNoNameTheCredentialCanSee() {
    String[] pairs = new String[30];
    for (int i = 0; i < 15; i++) {
      pairs[2 * i] = "ws-" + i;
      pairs[2 * i + 1] = "P" + i;
    }
    server.enqueue(workspaces(pairs));

    Throwable t = catchThrowable(() -> directory.resolveProject(client, null, "Nope"));

    assertThat(t.getMessage()).contains("among the 15 project(s)").doesNotContain("\"P0\"").doesNotContain("P9");
  }

  @Test
  void emptyAccountSaysNothingIsVisible() {
    server.enqueue(workspaces());
    assertThatThrownBy(() -> directory.resolveProject(client, null, "Shop"))
        .isInstanceOf(NameNotFoundException.class)
        .hasMessageContaining("no projects are visible");
  }

  @Test
  void environmentsAreCachedPerProject() throws Exception {
    server.enqueue(workspaces("ws-1", "Shop", "ws-2", "Billing"));
    server.enqueue(environments("env-1", "Production", "env-2", "Staging"));
    server.enqueue(environments("env-9", "Production"));

    FmeWorkspace shop = directory.resolveProject(client, null, "Shop");
    FmeWorkspace billing = directory.resolveProject(client, "ws-2", null);
    FmeEnvironment shopProd = directory.resolveEnvironment(client, shop, null, "Production");
    FmeEnvironment shopStaging = directory.resolveEnvironment(client, shop, "env-2", null);
    FmeEnvironment billingProd = directory.resolveEnvironment(client, billing, null, "Production");
    FmeEnvironment shopProdAgain = directory.resolveEnvironment(client, shop, null, "Production");

    assertThat(shopProd).isEqualTo(new FmeEnvironment("env-1", "Production"));
    assertThat(shopStaging).isEqualTo(new FmeEnvironment("env-2", "Staging"));
    assertThat(billingProd).isEqualTo(new FmeEnvironment("env-9", "Production"));
    assertThat(shopProdAgain).isEqualTo(shopProd);
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(server.takeRequest().getPath()).startsWith("/api/v2/workspaces");
    assertThat(server.takeRequest().getPath()).isEqualTo("/api/v2/environments/ws/ws-1");
    assertThat(server.takeRequest().getPath()).isEqualTo("/api/v2/environments/ws/ws-2");
  }

  @Test
  void environmentMissRefetchesOnceAndReportsTheProject() {
    FmeWorkspace shop = new FmeWorkspace("ws-1", "Shop");
    server.enqueue(environments("env-1", "Production"));
    directory.resolveEnvironment(client, shop, null, "Production");

    Throwable t = catchThrowable(() -> directory.resolveEnvironment(client, shop, null, "QA"));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(t).isInstanceOf(NameNotFoundException.class);
    NameNotFoundException e = (NameNotFoundException) t;
    assertThat(e.kind()).isEqualTo("environment");
    assertThat(e.name()).isEqualTo("QA");
    assertThat(e.getMessage()).contains("\"QA\"", "project \"Shop\"").doesNotContain("Production");

    clock.advance(Duration.ofSeconds(45));
    server.enqueue(environments("env-1", "Production", "env-3", "QA"));
    assertThat(directory.resolveEnvironment(client, shop, null, "QA")).isEqualTo(new FmeEnvironment("env-3", "QA"));
    assertThat(server.getRequestCount()).isEqualTo(2);

    assertThatThrownBy(() -> directory.resolveEnvironment(client, shop, "env-404", null))
        .isInstanceOf(NameNotFoundException.class)
        .hasMessageContaining("id \"env-404\"");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void invalidateForcesAFetch() {
    server.enqueue(workspaces("ws-1", "Shop"));
    server.enqueue(workspaces("ws-1", "Shop"));

    directory.resolveProject(client, null, "Shop");
    directory.invalidate();
    directory.resolveProject(client, null, "Shop");

    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void vendorErrorsPropagateAndAreNotCached() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(401).setBody("{}"));
    server.enqueue(workspaces("ws-1", "Shop"));

    assertThatThrownBy(() -> directory.resolveProject(client, null, "Shop"))
        .isInstanceOf(VendorUnauthorizedException.class);
    assertThat(directory.resolveProject(client, null, "Shop").id()).isEqualTo("ws-1");
    assertThat(server.getRequestCount()).isEqualTo(2);
    drainRequests();
  }

  @Test
  void referenceNeedsExactlyOneOfIdAndName() {
    assertThatThrownBy(() -> directory.resolveProject(client, null, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> directory.resolveProject(client, "ws-1", "Shop"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void shortTtlCapsTheMinRefreshInterval() {
    FmeDirectory quick = new FmeDirectory(Duration.ofSeconds(5), clock);
    server.enqueue(workspaces("ws-1", "Shop"));
    server.enqueue(workspaces("ws-1", "Shop"));

    quick.resolveProject(client, null, "Shop");
    clock.advance(Duration.ofSeconds(5));
    quick.resolveProject(client, null, "Shop");

    assertThat(server.getRequestCount()).isEqualTo(2);
  }
}
