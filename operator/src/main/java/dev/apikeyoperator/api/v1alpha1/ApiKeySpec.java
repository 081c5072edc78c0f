package dev.apikeyoperator.api.v1alpha1;

import dev.apikeyoperator.lenientread.ReadNotes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Desired state of an ApiKey. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@io.fabric8.generator.annotation.ValidationRule(value = "[has(self.fme), has(self.statsig), has(self.launchDarkly), "
    + "has(self.unleash)].filter(x, x).size() == 1", message = "give exactly one of spec.fme, spec.statsig, "
    + "spec.launchDarkly and spec.unleash, matching the provider's vendor")
@io.fabric8.generator.annotation.ValidationRule(value = "!has(self.deletionPolicy) || self.deletionPolicy != "
    + "'Deactivate' || has(self.statsig)", message = "deletionPolicy Deactivate applies to Statsig keys only")
public class ApiKeySpec extends ReadNotes {
  @Required
  @JsonPropertyDescription("The provider (vendor account) that mints this key.")
  public ProviderRef providerRef;

  @JsonPropertyDescription("Harness FME (Split) key settings; use with an fme provider. Exactly one of fme and "
      + "statsig.")
  public FmeKeySpec fme;

  @JsonPropertyDescription("Statsig key settings; use with a statsig provider. Exactly one of fme and statsig.")
  public StatsigKeySpec statsig;

  @JsonPropertyDescription("LaunchDarkly credential settings; use with a launchDarkly provider. Exactly one vendor "
      + "block.")
  public LaunchDarklyKeySpec launchDarkly;

  @JsonPropertyDescription("Unleash API token settings; use with an unleash provider. Exactly one vendor block.")
  public UnleashKeySpec unleash;

  @JsonPropertyDescription("Prefix of the key's name in the vendor UI. Default <namespace>-<name>. Each key created "
      + "is named <provider keyNamePrefix><keyName>-<suffix>, the suffix unique per attempt.")
  @Size(max = 100)
  public String keyName;

  @JsonPropertyDescription("Where the key value is written.")
  public SecretSpec secret;

  @JsonPropertyDescription("Scheduled rotation and the grace period of replaced keys.")
  public RotationSpec rotation;

  @JsonPropertyDescription("Manage an existing key instead of creating one: its value comes from a Secret, its id "
      + "(optional) from here. It is revoked on deletion like any other key (per deletionPolicy).")
  public AdoptSpec adopt;

  @JsonPropertyDescription("Workloads restarted (their pod template is stamped with the new key's fingerprint) when "
      + "the key in the Secret changes; never on an operator restart or an unrelated edit.")
  @Size(max = 32)
  public java.util.List<RolloutTarget> rolloutRestartTargets = new java.util.ArrayList<>();

  @Default("false")
  @JsonPropertyDescription("true: the workloads listed in status.consumers are restarted on a key change, as "
      + "rolloutRestartTargets are, and a replaced key is revoked only once they have all rolled out the new key "
      + "(and its grace period is over).")
  public Boolean restartConsumers = false;

  public boolean restartsConsumers() {
    return Boolean.TRUE.equals(restartConsumers);
  }

  @Default("Delete")
  @JsonPropertyDescription("Delete (default): revoke the keys when the ApiKey is deleted. Orphan: keep the current "
      + "key at the vendor and keep its Secret. Deactivate (Statsig only): deactivate the current key.")
  public DeletionPolicy deletionPolicy = DeletionPolicy.Delete;

  @Default("Report")
  @JsonPropertyDescription("Statsig only (keys can be read back): when the key is deleted or deactivated outside the "
      + "operator, Report (default) sets Ready=False with KeyRevokedExternally; Recreate also mints a new key.")
  public ExternalRevocationPolicy onExternalRevocation = ExternalRevocationPolicy.Report;

  public DeletionPolicy deletionPolicyOrDefault() {
    return deletionPolicy == null ? DeletionPolicy.Delete : deletionPolicy;
  }
}
