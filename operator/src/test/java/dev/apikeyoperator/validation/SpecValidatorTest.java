package dev.apikeyoperator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.DeletionPolicy;
import dev.apikeyoperator.api.v1alpha1.FmeKeySpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeRole;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.api.v1alpha1.SecretSpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeySpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeyType;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

  static ApiKey apiKey(ApiKeySpec spec) {
    ApiKey a = new ApiKey();
    a.setMetadata(new ObjectMetaBuilder().withName("checkout").withNamespace("shop").build());
    a.setSpec(spec);
    return a;
  }

  static ApiKeySpec serverSide() {
    ApiKeySpec spec = new ApiKeySpec();
    spec.providerRef = new ProviderRef();
    spec.providerRef.name = "fme";
    spec.fme = new FmeKeySpec();
    spec.fme.type = FmeKeyType.SERVER_SIDE;
    spec.fme.project = NameOrId.byName("shop");
    spec.fme.environments = new ArrayList<>(List.of(NameOrId.byName("prod")));
    return spec;
  }

  static ApiKeySpec statsig() {
    ApiKeySpec spec = new ApiKeySpec();
    spec.providerRef = new ProviderRef();
    spec.providerRef.name = "statsig";
    spec.statsig = new StatsigKeySpec();
    spec.statsig.type = StatsigKeyType.SERVER;
    spec.statsig.description = "checkout";
    return spec;
  }

  @Test
  void aCompleteSpecHasNoProblem() {
    assertThat(SpecValidator.validate(apiKey(serverSide()))).isEmpty();
    assertThat(SpecValidator.validate(apiKey(statsig()))).isEmpty();
  }

  @Test
  void aMissingSpecOrVendorBlockSaysWhatToGive() {
    assertThat(SpecValidator.validate(apiKey(null)))
        .containsExactly("spec is missing: give at least spec.providerRef and spec.fme");
    ApiKeySpec none = serverSide();
    none.fme = null;
    assertThat(SpecValidator.validate(apiKey(none))).containsExactly("spec.fme is missing: say which Harness FME key "
        + "to create (type, project, environments), or give spec.statsig for a Statsig key, spec.launchDarkly for a "
        + "LaunchDarkly one, or spec.unleash for an Unleash token");
    ApiKeySpec both = serverSide();
    both.statsig = statsig().statsig;
    assertThat(SpecValidator.validate(apiKey(both)))
        .containsExactly("give exactly one of spec.fme, spec.statsig, spec.launchDarkly and spec.unleash, matching "
            + "the provider's vendor");
  }

  @Test
  void deactivateIsForVendorsThatCanDeactivate() {
    ApiKeySpec fme = serverSide();
    fme.deletionPolicy = DeletionPolicy.Deactivate;
    assertThat(SpecValidator.validate(apiKey(fme)))
        .containsExactly("deletionPolicy Deactivate applies to Statsig keys only: use Delete or Orphan");
    ApiKeySpec statsig = statsig();
    statsig.deletionPolicy = DeletionPolicy.Deactivate;
    assertThat(SpecValidator.validate(apiKey(statsig))).isEmpty();
  }

  @Test
  void fmeRulesAreChecked() {
    ApiKeySpec admin = serverSide();
    admin.fme.type = FmeKeyType.ADMIN;
    admin.fme.project = null;
    assertThat(SpecValidator.validate(apiKey(admin))).containsExactly(
        "admin keys need at least one role in spec.fme.roles (without roles the vendor would grant API_ALL_GRANTED)",
        "spec.fme.environments need spec.fme.project: environments belong to a project");
    ApiKeySpec twice = serverSide();
    twice.fme.type = FmeKeyType.ADMIN;
    twice.fme.roles = new ArrayList<>(List.of(FmeRole.values()[0], FmeRole.values()[0]));
    assertThat(SpecValidator.validate(apiKey(twice)))
        .containsExactly("spec.fme.roles lists a role twice: list each role once");
    ApiKeySpec server = serverSide();
    server.fme.environments = new ArrayList<>();
    server.fme.roles = new ArrayList<>(List.of(FmeRole.values()[0]));
    server.fme.project = new NameOrId();
    assertThat(SpecValidator.validate(apiKey(server))).containsExactly(
        "spec.fme.project must give exactly one of name or id",
        "roles apply only to admin keys: remove spec.fme.roles from server_side keys",
        "server_side keys need exactly one entry in spec.fme.environments (found 0)");
    ApiKeySpec blank = serverSide();
    blank.fme.project = NameOrId.byId(" ");
    assertThat(SpecValidator.validate(apiKey(blank))).containsExactly("spec.fme.project.id is blank");
  }

  @Test
  void statsigRulesAreChecked() {
    ApiKeySpec spec = statsig();
    spec.statsig.type = null;
    assertThat(SpecValidator.validate(apiKey(spec))).containsExactly(
        "spec.statsig.type is missing: use SERVER, CLIENT or CONSOLE");
    spec.statsig.description = "x".repeat(901);
    assertThat(SpecValidator.validate(apiKey(spec))).containsExactly(
        "spec.statsig.description has 901 characters: use at most 900");
  }

  @Test
  void theCrdsSizeLimitsAreCheckedWithoutQuotingTheValue() {
    ApiKeySpec spec = serverSide();
    spec.keyName = "k".repeat(5000);
    spec.fme.environments = new java.util.ArrayList<>();
    for (int i = 0; i < 51; i++) {
      spec.fme.environments.add(NameOrId.byName("env-" + i));
    }
    spec.secret = new SecretSpec();
    spec.secret.annotations = Map.of("note", "n".repeat(2049));
    spec.rotation = new RotationSpec();
    spec.rotation.every = "1".repeat(33) + "h";
    ApiKeySpec statsig = statsig();
    statsig.statsig.scopes = List.of("s".repeat(129));
    assertThat(SpecValidator.validate(apiKey(spec))).containsExactlyInAnyOrder(
        "spec.fme.environments has 51 entries: use at most 50",
        "spec.keyName has 5000 characters: use at most 100",
        "spec.secret.annotations[note] has 2049 characters: use at most 2048",
        "spec.rotation.every has 34 characters: use at most 32");
    assertThat(SpecValidator.validate(apiKey(statsig))).containsExactly(
        "spec.statsig.scopes[0] has 129 characters: use at most 128");
  }

  @Test
  void rotationMustBeLongerThanTheGracePeriod() {
    ApiKeySpec spec = serverSide();
    spec.rotation = new RotationSpec();
    spec.rotation.every = "30m";
    assertThat(SpecValidator.validate(apiKey(spec))).containsExactly("spec.rotation.every (30m) must be longer than "
        + "spec.rotation.gracePeriod (1h): lengthen the schedule or shorten the grace period");
    spec.rotation.gracePeriod = "30m";
    assertThat(SpecValidator.validate(apiKey(spec))).hasSize(1);
    spec.rotation.gracePeriod = "10m";
    assertThat(SpecValidator.validate(apiKey(spec))).isEmpty();
  }

  @Test
  void namesSecretsAndDurationsAreChecked() {
    ApiKeySpec spec = serverSide();
    spec.providerRef.name = "Not_A_Name";
    spec.keyName = "-bad";
    spec.secret = new SecretSpec();
    spec.secret.name = "mine-apikey-ledger";
    spec.secret.labels = Map.of("app.kubernetes.io/managed-by", "me");
    spec.rotation = new RotationSpec();
    spec.rotation.every = "5s";
    spec.rotation.gracePeriod = "0s";
    List<String> problems = SpecValidator.validate(apiKey(spec));
    assertThat(problems).contains(
        "spec.providerRef.name 'Not_A_Name' is not a valid Kubernetes object name",
        "spec.secret.name must not end with '-apikey-ledger': that name is reserved for the operator's own records",
        "spec.rotation.every '5s' is too short: use at least 10s");
    assertThat(problems).anyMatch(p -> p.startsWith("spec.keyName '-bad' is not usable"));
    assertThat(problems).anyMatch(p -> p.startsWith("spec.secret.labels must not set"));
  }

  @Test
  void secretTemplatesAreChecked() {
    ApiKeySpec spec = serverSide();
    spec.secret = new SecretSpec();
    spec.secret.key = "token";
    spec.secret.template = new dev.apikeyoperator.api.v1alpha1.SecretTemplate();
    spec.secret.template.data = new java.util.LinkedHashMap<>(Map.of("token", "{{key}}", "SDK", "{{secret}}"));
    List<String> problems = SpecValidator.validate(apiKey(spec));
    assertThat(problems).anyMatch(p -> p.startsWith("spec.secret.template.data['token'] collides with spec.secret.key"));
    assertThat(problems).anyMatch(p -> p.startsWith("spec.secret.template.data['SDK'] uses the unknown variable secret"));

    spec.secret.template.data = new java.util.LinkedHashMap<>(Map.of("SDK", "{{key}}"));
    assertThat(SpecValidator.validate(apiKey(spec))).isEmpty();
  }
}
